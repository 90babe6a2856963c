import type { AuditEntry } from "../audit/index.ts";
import { Prisma, type JobLog } from "../generated/prisma/client.ts";
import type { RunTrigger } from "../generated/prisma/enums.ts";
import type { Runtime } from "../runtime.ts";
import { DuplicateFireError, JobNotFoundError, RetryRefusedError, RunNotFoundError } from "./errors.ts";
import { parseSnapshot, snapshotForRetry, snapshotOfJob } from "./snapshot.ts";
import { ACTIVE_STATUSES, isActive } from "./status.ts";

export type RunRequest =
  | { kind: "job"; jobId: string; trigger: RunTrigger; scheduledAt?: Date | null }
  | { kind: "retry"; logId: number };

export interface EnqueueOptions {
  /** Write the log inside the caller's transaction. */
  tx?: Prisma.TransactionClient;
  /** Record the dispatcher's fire of (job, scheduledAt) with the log, at most once per slot. */
  fire?: { scheduledAt: Date; outcome: "FIRED" | "CATCHUP" };
  /**
   * A plain run's audit event (SUCCESS; its detail becomes `{ logId }` and its trace id the run's),
   * stored with the run itself: the audit row exists exactly when the run does.
   */
  audit?: AuditEntry;
}

/** Creates a QUEUED run of a job (Run Now, a fire of the dispatcher with its fire record). */
export async function createJobRun(tx: Prisma.TransactionClient, request: Extract<RunRequest, { kind: "job" }>, options: EnqueueOptions): Promise<JobLog> {
  const job = await tx.job.findUnique({ where: { id: request.jobId } });
  if (!job) throw new JobNotFoundError(request.jobId);
  const scheduledAt = options.fire?.scheduledAt ?? request.scheduledAt ?? null;
  if (options.fire) {
    // ON CONFLICT DO NOTHING rather than catching a unique violation: the latter would abort a
    // caller's transaction, this leaves it usable and writes nothing.
    const { count } = await tx.fireRecord.createMany({
      data: [{ jobId: job.id, scheduledAt: options.fire.scheduledAt, outcome: options.fire.outcome }],
      skipDuplicates: true,
    });
    if (count === 0) throw new DuplicateFireError(job.id, options.fire.scheduledAt);
  }
  const log = await tx.jobLog.create({
    data: {
      jobId: job.id,
      trigger: request.trigger,
      scheduledAt,
      snapshotParams: snapshotOfJob(job, request.trigger, scheduledAt) as unknown as Prisma.InputJsonObject,
    },
  });
  if (options.fire) {
    await tx.fireRecord.update({ where: { jobId_scheduledAt: { jobId: job.id, scheduledAt: options.fire.scheduledAt } }, data: { logId: log.id } });
  }
  return log;
}

/** A plain run (Run Now): one read and one insert, no transaction. */
export async function createPlainRun(runtime: Runtime, request: Extract<RunRequest, { kind: "job" }>): Promise<JobLog> {
  try {
    return await createJobRun(runtime.prisma, request, {});
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") throw new JobNotFoundError(request.jobId);
    throw error;
  }
}

/** Retry: a new QUEUED run of an ended run, its attempt + 1, refused while it or a retry of it is active. */
export async function createRetryRun(tx: Prisma.TransactionClient, logId: number): Promise<JobLog> {
  // Row lock: two operators pressing Retry at once must produce one retry, not two.
  const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM job_logs WHERE id = ${logId} FOR UPDATE`;
  const old = locked.length ? await tx.jobLog.findUnique({ where: { id: logId } }) : null;
  if (!old) throw new RunNotFoundError(logId);
  if (isActive(old.status)) {
    throw new RetryRefusedError(logId, `it is still ${old.status}. Wait until it ends (or cancel it), then retry.`);
  }
  const pending = await tx.jobLog.findFirst({ where: { retryOfId: logId, status: { in: [...ACTIVE_STATUSES] } }, select: { id: true, status: true } });
  if (pending) throw new RetryRefusedError(logId, `its retry #${pending.id} is already ${pending.status}.`);
  const snapshot = snapshotForRetry(parseSnapshot(old.id, old.jobId, old.snapshotParams), old.id);
  return tx.jobLog.create({
    data: {
      jobId: old.jobId,
      trigger: "RETRY",
      retryOfId: old.id,
      attempt: old.attempt + 1,
      scheduledAt: old.scheduledAt,
      snapshotParams: snapshot as unknown as Prisma.InputJsonObject,
    },
  });
}


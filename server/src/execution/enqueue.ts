import { Prisma, type JobLog } from "../generated/prisma/client.ts";
import type { RunTrigger } from "../generated/prisma/enums.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { DuplicateFireError, JobNotFoundError, RetryRefusedError, RunNotFoundError } from "./errors.ts";
import { publishStatus } from "./publish.ts";
import { EXECUTE_JOB, type ExecuteJobData, putExecuteJob } from "./queue-jobs.ts";
import { parseSnapshot, snapshotForRetry, snapshotOfJob } from "./snapshot.ts";

export type RunRequest =
  | { kind: "job"; jobId: string; trigger: RunTrigger; scheduledAt?: Date | null }
  | { kind: "retry"; logId: number };

export interface EnqueueOptions {
  /** Write the log inside the caller's transaction. */
  tx?: Prisma.TransactionClient;
  /** Record the dispatcher's fire of (job, scheduledAt) with the log, at most once per slot. */
  fire?: { scheduledAt: Date; outcome: "FIRED" | "CATCHUP" };
}

const ACTIVE = ["QUEUED", "RUNNING"] as const;

async function createJobRun(tx: Prisma.TransactionClient, request: Extract<RunRequest, { kind: "job" }>, options: EnqueueOptions): Promise<JobLog> {
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

async function createPlainRun(runtime: Runtime, request: Extract<RunRequest, { kind: "job" }>): Promise<JobLog> {
  try {
    return await createJobRun(runtime.prisma, request, {});
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") throw new JobNotFoundError(request.jobId);
    throw error;
  }
}

async function createRetryRun(tx: Prisma.TransactionClient, logId: number): Promise<JobLog> {
  // Row lock: two operators pressing Retry at once must produce one retry, not two.
  const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM job_logs WHERE id = ${logId} FOR UPDATE`;
  const old = locked.length ? await tx.jobLog.findUnique({ where: { id: logId } }) : null;
  if (!old) throw new RunNotFoundError(logId);
  if ((ACTIVE as readonly string[]).includes(old.status)) {
    throw new RetryRefusedError(logId, `it is still ${old.status}. Wait until it ends (or cancel it), then retry.`);
  }
  const pending = await tx.jobLog.findFirst({ where: { retryOfId: logId, status: { in: [...ACTIVE] } }, select: { id: true, status: true } });
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

/**
 * Records a QUEUED run and hands it to the queue. If the queue cannot take it right now the run
 * is still recorded: a worker's recovery sweep hands over QUEUED runs that have no queue job.
 *
 * With `tx` the run is only written: the queue must not see a run before it is committed, so the
 * caller hands it over after its commit with `handOverRun(runtime, log)` (or leaves it to the
 * recovery sweep, a few seconds later).
 *
 * A fire for a future instant (the dispatcher plans ahead) is queued due AT that instant: the
 * queue then starts it on time, and the checks that belong to the instant (still enabled, still
 * one of the job's slots, overlap) are made when a worker claims it.
 */
export async function enqueueRun(runtime: Runtime, request: RunRequest, options: EnqueueOptions = {}): Promise<JobLog> {
  const write = (tx: Prisma.TransactionClient) => (request.kind === "job" ? createJobRun(tx, request, options) : createRetryRun(tx, request.logId));
  if (options.tx) return write(options.tx);
  // A plain run (Run Now) is one read and one insert: no transaction needed (a job deleted between
  // them fails the insert's foreign key, reported as the job not being found).
  const log = request.kind === "job" && !options.fire ? await createPlainRun(runtime, request) : await runtime.prisma.$transaction(write);
  return handOverRun(runtime, log);
}

/** Announces a committed QUEUED run and puts its execute job on the queue (at its slot if that is ahead). */
export async function handOverRun(runtime: Runtime, log: JobLog): Promise<JobLog> {
  // QUEUED goes out before the queue can hand the run to a worker, so no listener sees it after RUNNING.
  await publishStatus(runtime, log, "QUEUED");
  const queueJobId = await queueExecuteJob(runtime, log, null);
  return queueJobId ? { ...log, queueJobId } : log;
}

/**
 * Puts an execute job for the run, due at its scheduled instant when that is still ahead (only a
 * dispatcher's fire has a future scheduledAt), and records it on the run if the run still has
 * `expected` as its queue job. Returns the new queue job id, or null when the queue refused it.
 */
export async function queueExecuteJob(runtime: Runtime, log: Pick<JobLog, "id" | "jobId" | "scheduledAt">, expected: string | null): Promise<string | null> {
  let queueJobId: string;
  try {
    queueJobId =
      log.scheduledAt && log.scheduledAt.getTime() > Date.now()
        ? String((await runtime.queue.agenda.schedule<ExecuteJobData>(log.scheduledAt, EXECUTE_JOB, { logId: log.id })).attrs._id)
        : await putExecuteJob(runtime, log.id);
  } catch (err) {
    logger().warn({ err, log_id: log.id, job_id: log.jobId }, "run recorded but the queue refused it; a worker's recovery sweep will hand it over");
    return null;
  }
  await runtime.prisma.jobLog.updateMany({ where: { id: log.id, queueJobId: expected }, data: { queueJobId } });
  return queueJobId;
}

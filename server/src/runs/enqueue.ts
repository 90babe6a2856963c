import { recordAudit, type AuditEntry } from "../audit/index.ts";
import { isConnectionError } from "../db/connection-errors.ts";
import type { JobLog, Prisma } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { createAndHandOver, handOverInStatement, type CreatedRun } from "./create-and-hand-over.ts";
import { createJobRun, createPlainRun, createRetryRun, type EnqueueOptions, type RunRequest } from "./create.ts";
import { JobNotFoundError } from "./errors.ts";

export type { EnqueueOptions, RunRequest };
import { publishStatus } from "./publish.ts";
import { EXECUTE_JOB, type ExecuteJobData, putExecuteJob, putExecuteRunsJob } from "./queue-jobs.ts";
import { isFiredRun } from "./start-rules.ts";

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
  if (request.kind === "job" && !options.fire) return enqueuePlainRun(runtime, request, options.audit ?? null);
  return handOverRun(runtime, await runtime.prisma.$transaction(write));
}

/**
 * A plain run (Run Now): one statement records it, its audit row and its QUEUED event, and on the
 * PostgreSQL queue also hands it over (create-and-hand-over.ts). Should that statement fail for a
 * reason of its own (not the database being away), the run is recorded the step-by-step way, whose
 * queue insert may fail without losing the run (the recovery sweep hands it over).
 */
async function enqueuePlainRun(runtime: Runtime, request: Extract<RunRequest, { kind: "job" }>, audit: AuditEntry | null): Promise<JobLog> {
  let created: CreatedRun;
  try {
    created = await createAndHandOver(runtime, request, audit);
  } catch (err) {
    if (isConnectionError(err)) throw err;
    // A job deleted while the statement ran fails its foreign key: that job is not found.
    if (isForeignKeyViolation(err)) throw new JobNotFoundError(request.jobId);
    logger().warn({ err, job_id: request.jobId }, "the one-statement Run Now failed; recording the run step by step");
    created = { kind: "unsupported" };
  }
  if (created.kind === "not-found") throw new JobNotFoundError(request.jobId);
  if (created.kind === "created") {
    if (created.queued) return created.log;
    // The MongoDB queue: QUEUED is out already, the queue job follows the commit.
    const queueJobId = await queueExecuteJob(runtime, created.log, null);
    return queueJobId ? { ...created.log, queueJobId } : created.log;
  }
  const log = await createPlainRun(runtime, request);
  if (audit) await recordAudit(runtime.prisma, { ...audit, detail: { logId: log.id }, traceId: log.traceId });
  return handOverStepByStep(runtime, log);
}

/** A foreign key violation (23503), as pg reports it or wrapped by Prisma's raw query error. */
function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  return e?.code === "P2003" || e?.code === "23503" || e?.meta?.driverAdapterError?.cause?.originalCode === "23503";
}

/** Announces a committed QUEUED run and puts its execute job on the queue (at its slot if that is ahead). */
export async function handOverRun(runtime: Runtime, log: JobLog): Promise<JobLog> {
  // On PostgreSQL all of it is one statement; should it fail for a reason of its own, step by step.
  try {
    const handed = await handOverInStatement(runtime, log);
    if (handed !== "unsupported") return handed.queueJobId ? { ...log, queueJobId: handed.queueJobId } : log;
  } catch (err) {
    if (isConnectionError(err)) {
      logger().warn({ err, log_id: log.id }, "run recorded but not handed over (database unreachable); a worker's recovery sweep will");
      return log;
    }
    logger().warn({ err, log_id: log.id }, "the one-statement hand-over failed; handing the run over step by step");
  }
  return handOverStepByStep(runtime, log);
}

/** The hand-over on any store: QUEUED published, then the queue job put, then recorded on the run. */
async function handOverStepByStep(runtime: Runtime, log: JobLog): Promise<JobLog> {
  // QUEUED goes out before the queue can hand the run to a worker, so no listener sees it after RUNNING.
  await publishStatus(runtime, log, "QUEUED");
  const queueJobId = await queueExecuteJob(runtime, log, null);
  return queueJobId ? { ...log, queueJobId } : log;
}

/**
 * Puts an execute job for the run, due at its scheduled instant when that is still ahead (only a
 * dispatcher's fire has a future scheduledAt: it goes as a group of one, due RUNS_LEAD_MS ahead of
 * its slot, like the dispatcher's groups), and records it on the run if the run still has
 * `expected` as its queue job. Returns the new queue job id, or null when the queue refused it.
 */
export async function queueExecuteJob(runtime: Runtime, log: Pick<JobLog, "id" | "jobId" | "trigger" | "scheduledAt">, expected: string | null): Promise<string | null> {
  let queueJobId: string;
  try {
    const ahead = log.scheduledAt && log.scheduledAt.getTime() > Date.now() ? log.scheduledAt : null;
    queueJobId =
      ahead && isFiredRun(log)
        ? await putExecuteRunsJob(runtime, [log.id], ahead)
        : ahead
          ? String((await runtime.queue.agenda.schedule<ExecuteJobData>(ahead, EXECUTE_JOB, { logId: log.id })).attrs._id)
          : await putExecuteJob(runtime, log.id);
  } catch (err) {
    logger().warn({ err, log_id: log.id, job_id: log.jobId }, "run recorded but the queue refused it; a worker's recovery sweep will hand it over");
    return null;
  }
  await runtime.prisma.jobLog.updateMany({ where: { id: log.id, queueJobId: expected }, data: { queueJobId } });
  return queueJobId;
}

import type { JobLog, Prisma } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { createJobRun, createPlainRun, createRetryRun, type EnqueueOptions, type RunRequest } from "./create.ts";

export type { EnqueueOptions, RunRequest };
import { publishStatus } from "./publish.ts";
import { EXECUTE_JOB, type ExecuteJobData, putExecuteJob } from "./queue-jobs.ts";

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

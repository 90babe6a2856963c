import type { JobLog } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { RunNotCancellableError, RunNotFoundError } from "./errors.ts";
import { finalizeRun } from "./finalize.ts";
import { publishSafely } from "./publish.ts";
import { messageColumns, runMessage } from "./run-messages.ts";
import { ACTIVE_STATUSES } from "./status.ts";

// run-messages: the message of a run cancelled while QUEUED.
export const CANCELLED_BEFORE_START = runMessage("RUN_CANCELLED_BEFORE_START");

/** QUEUED → CANCELLED, one statement; the run as stored, or null when it was no longer QUEUED. */
export async function cancelQueuedRun(runtime: Runtime, logId: number, now: Date): Promise<JobLog | null> {
  const [run] = await runtime.prisma.jobLog.updateManyAndReturn({
    where: { id: logId, status: "QUEUED" },
    data: { status: "CANCELLED", cancelRequestedAt: now, finishedAt: now, ...messageColumns(CANCELLED_BEFORE_START) },
  });
  return run ?? null;
}

/** Asks the worker of an active run to abort it (it also sees the column at its next heartbeat). False when it has ended. */
async function markCancelRequested(runtime: Runtime, logId: number, now: Date): Promise<boolean> {
  const { count } = await runtime.prisma.jobLog.updateMany({ where: { id: logId, status: { in: [...ACTIVE_STATUSES] } }, data: { cancelRequestedAt: now } });
  return count === 1;
}

/**
 * Cancels a run. A QUEUED run ends at once (CANCELLED, finalized: event and webhooks); a RUNNING
 * run gets `cancelRequestedAt` and a `run.cancelRequested` event, and the worker executing it
 * aborts it and settles it CANCELLED (it also sees the column at its next heartbeat, should the
 * event be lost). The webhooks of a run cancelled while QUEUED go on after this returns.
 */
export async function requestCancel(runtime: Runtime, logId: number): Promise<JobLog> {
  const now = new Date();
  const log = await runtime.prisma.jobLog.findUnique({ where: { id: logId } });
  if (!log) throw new RunNotFoundError(logId);

  if (log.status === "QUEUED") {
    const cancelled = await cancelQueuedRun(runtime, logId, now);
    if (cancelled) {
      if (log.queueJobId) {
        // Only a queue job of this run alone: the other runs of a planned slot's group still start from theirs.
        await runtime.queue.removeJobOfRun(log.queueJobId, logId).catch((err) => logger().warn({ err, log_id: logId }, "could not remove the queue job of a cancelled run"));
      }
      await finalizeRun(runtime, cancelled).published;
      return cancelled;
    }
    // A worker took it in the meantime: cancel it as a running run.
  }

  const requested = await markCancelRequested(runtime, logId, now);
  const current = await runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } });
  if (!requested) throw new RunNotCancellableError(logId, current.status);
  await publishSafely(runtime, "run.cancelRequested", { logId });
  return current;
}

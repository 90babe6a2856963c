import type { JobLog } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { RunNotCancellableError, RunNotFoundError } from "./errors.ts";
import { publishSafely, publishStatus } from "./publish.ts";
import { messageColumns, runMessage } from "./run-messages.ts";

// run-messages: the message of a run cancelled while QUEUED.
export const CANCELLED_BEFORE_START = runMessage("RUN_CANCELLED_BEFORE_START");

/**
 * Cancels a run. A QUEUED run ends at once (CANCELLED); a RUNNING run gets `cancelRequestedAt`
 * and a `run.cancelRequested` event, and the worker executing it aborts it (it also sees the
 * column at its next heartbeat, should the event be lost).
 */
export async function requestCancel(runtime: Runtime, logId: number): Promise<JobLog> {
  const now = new Date();
  const log = await runtime.prisma.jobLog.findUnique({ where: { id: logId } });
  if (!log) throw new RunNotFoundError(logId);

  if (log.status === "QUEUED") {
    const { count } = await runtime.prisma.jobLog.updateMany({
      where: { id: logId, status: "QUEUED" },
      data: { status: "CANCELLED", cancelRequestedAt: now, finishedAt: now, ...messageColumns(CANCELLED_BEFORE_START) },
    });
    if (count === 1) {
      if (log.queueJobId) {
        await runtime.queue.agenda.cancel({ id: log.queueJobId }).catch((err) => logger().warn({ err, log_id: logId }, "could not remove the queue job of a cancelled run"));
      }
      await publishStatus(runtime, log, "CANCELLED", CANCELLED_BEFORE_START);
      return (await runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } }));
    }
    // A worker took it in the meantime: cancel it as a running run.
  }

  const { count } = await runtime.prisma.jobLog.updateMany({
    where: { id: logId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { cancelRequestedAt: now },
  });
  const current = await runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } });
  if (count === 0) throw new RunNotCancellableError(logId, current.status);
  await publishSafely(runtime, "run.cancelRequested", { logId });
  return current;
}

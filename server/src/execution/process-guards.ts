import { logContext } from "../logging/log-context.ts";
import { logger } from "../logging/logger.ts";

let installs = 0;

function onUnhandledRejection(reason: unknown): void {
  // Fired outside the promise's async context, so it cannot be pinned on a run; a handler's
  // forgotten promise must still not take down every other run in this worker.
  logger().error({ err: reason }, "unhandled promise rejection (kept the worker alive)");
}

function onUncaughtException(error: unknown): void {
  const inRun = logContext.getStore()?.fields.log_id !== undefined;
  if (inRun) {
    // Thrown from a run's own callback (a timer, an event handler): it lands in that run's log.
    logger().error({ err: error }, "uncaught exception in handler code (kept the worker alive)");
    return;
  }
  // Not from a run: the process may be in an unknown state; keep Node's default and crash.
  logger().fatal({ err: error }, "uncaught exception");
  process.removeListener("uncaughtException", onUncaughtException);
  throw error;
}

/** Keeps handler code from crashing the worker. Reference-counted: several apps may share a process. */
export function installProcessGuards(): () => void {
  if (installs++ === 0) {
    process.on("unhandledRejection", onUnhandledRejection);
    process.on("uncaughtException", onUncaughtException);
  }
  let removed = false;
  return () => {
    if (removed) return;
    removed = true;
    if (--installs === 0) {
      process.removeListener("unhandledRejection", onUnhandledRejection);
      process.removeListener("uncaughtException", onUncaughtException);
    }
  };
}

import type { Logger } from "pino";
import { logger } from "../logging/logger.ts";

/**
 * Runs keep at least their info lines whatever LOG_LEVEL says: a run log that drops the
 * handler's progress lines because the process is quiet would hide exactly what operators look for.
 */
export function runLoggerLevel(): string {
  const root = logger();
  return (root.levels.values[root.level] ?? 30) <= 30 ? root.level : "info";
}

/** A handler's `ctx.logger`: a child of the process logger (the run's fields come from the log context). */
export function createRunLogger(): Logger {
  return logger().child({}, { level: runLoggerLevel() });
}

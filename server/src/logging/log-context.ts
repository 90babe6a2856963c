import { AsyncLocalStorage } from "node:async_hooks";

/** A structured log line as pino emits it (already JSON-parsed). */
export interface LogRecord {
  level: number;
  time: number | string;
  msg?: string;
  [key: string]: unknown;
}

/**
 * Fields and an optional capture attached to the current async context. A run sets one so
 * every line written while it executes (its own, a client's, a library's) carries job_id and
 * log_id and lands in that run's runLog — and only that run's, however many run at once.
 */
export interface LogContext {
  fields: Record<string, unknown>;
  capture?: (record: LogRecord) => void;
}

export const logContext = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return logContext.run(ctx, fn);
}

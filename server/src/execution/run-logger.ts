import type { Logger } from "pino";
import { logger } from "../logging/logger.ts";

/**
 * A handler's `ctx.logger`: a child of the process logger (the run's fields come from the log
 * context). The process logger keeps info lines for runs whatever LOG_LEVEL says.
 */
export function createRunLogger(): Logger {
  return logger().child({});
}

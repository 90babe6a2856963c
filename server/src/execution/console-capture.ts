import { format } from "node:util";
import { logContext } from "../logging/log-context.ts";
import { logger } from "../logging/logger.ts";

type ConsoleMethod = "log" | "info" | "debug" | "warn" | "error" | "trace";
const LEVELS: Record<ConsoleMethod, "info" | "debug" | "warn" | "error"> = {
  log: "info",
  info: "info",
  debug: "debug",
  warn: "warn",
  error: "error",
  trace: "debug",
};

let installed = false;

/**
 * Routes `console.*` called inside a run to that run's log (through the process logger, so the
 * line is tagged job_id/log_id); outside a run, console behaves as before. Installed once per
 * process, never removed: other code may have wrapped console after us.
 */
export function installConsoleCapture(): void {
  if (installed) return;
  installed = true;
  for (const method of Object.keys(LEVELS) as ConsoleMethod[]) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      if (!logContext.getStore()?.capture) {
        original(...args);
        return;
      }
      let text = format(...args);
      if (method === "trace") text += `\n${new Error("console.trace").stack?.split("\n").slice(2).join("\n") ?? ""}`;
      logger().child({ source: "console" })[LEVELS[method]](text);
    };
  }
}

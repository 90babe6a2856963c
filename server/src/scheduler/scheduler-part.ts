import type { AppPart } from "../app.ts";
import type { Runtime } from "../runtime.ts";

/** Fires due jobs (roles `all` and `worker`). */
export function createSchedulerPart(_runtime: Runtime): AppPart {
  return { name: "scheduler", start: async () => {}, stop: async () => {} };
}

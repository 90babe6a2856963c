import type { AppPart } from "../app.ts";
import type { Runtime } from "../runtime.ts";

/** Executes queued runs in this process (roles `all` and `worker`). */
export function createWorkerPart(runtime: Runtime): AppPart {
  return {
    name: "worker",
    start: () => runtime.queue.agenda.start(),
    stop: async () => {},
  };
}

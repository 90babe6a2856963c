import type { AppPart } from "../app-part.ts";
import type { Runtime } from "../runtime.ts";
import { Dispatcher, type DispatcherTimings } from "./dispatcher.ts";

/** Fires due jobs (roles `all` and `worker`); see dispatcher.ts for the design. */
export function createSchedulerPart(runtime: Runtime, timings: Partial<DispatcherTimings> = {}): AppPart & { dispatcher: Dispatcher } {
  const dispatcher = new Dispatcher(runtime, timings);
  return {
    name: "scheduler",
    dispatcher,
    start: () => dispatcher.start(),
    // The planner lease goes at once, so another process plans while this one drains.
    quiesce: () => void dispatcher.stop(),
    stop: () => dispatcher.stop(),
  };
}

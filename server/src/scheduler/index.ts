export { createSchedulerPart } from "./scheduler-part.ts";
export { Dispatcher, DEFAULT_TIMINGS, type DispatcherTimings, type PassStats } from "./dispatcher.ts";
export { nextRuns, type NextRunsJob } from "./next-runs.ts";
export { fireSlot, type FireResult } from "./fire-slot.ts";
export { sweepAbandonedRuns } from "../runs/index.ts";
export { sweepMisfires } from "./misfire-sweep.ts";
export { DISPATCHER_TICK, FIRE_SLOT } from "./queue-jobs.ts";

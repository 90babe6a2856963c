export { validateCronExpr } from "./cron-expression.ts";
export { validateIntervalSeconds } from "./interval-trigger.ts";
export { latestSlotAtOrBefore, nextFireTimes, slotsInWindow } from "./slots.ts";
export { assertValidTimeZone, DEFAULT_TIME_ZONE, isValidTimeZone, resolveTimeZone } from "./time-zone.ts";
export {
  type CronTrigger,
  type DateTrigger,
  type IntervalTrigger,
  MAX_INTERVAL_SECONDS,
  type SlotWindow,
  TRIGGER_TYPES,
  type Trigger,
  type TriggerType,
} from "./trigger.ts";
export { type TriggerField, TriggerValidationError } from "./trigger-errors.ts";
export { type JobSchedule, type JobTriggerFields, triggerFromJob, validateTrigger } from "./trigger-from-job.ts";

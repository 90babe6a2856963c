import { type IntervalTrigger, MAX_INTERVAL_SECONDS } from "./trigger.ts";
import { TriggerValidationError } from "./trigger-errors.ts";

/** Throws TriggerValidationError unless `seconds` is a whole number of seconds within range. */
export function validateIntervalSeconds(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_INTERVAL_SECONDS) {
    throw new TriggerValidationError(
      "intervalSeconds",
      `intervalSeconds must be a whole number of seconds from 1 to ${MAX_INTERVAL_SECONDS} (366 days) (got ${seconds})`,
      "INTERVAL_RANGE",
      { min: 1, max: MAX_INTERVAL_SECONDS },
    );
  }
  return seconds;
}

/** Interval slots are `startAt + k * interval` (k ≥ 0): anchored instants, blind to zones and DST. */
export function* intervalInstantsAfter(trigger: IntervalTrigger, fromExclusive: number): Generator<number> {
  const start = trigger.startAt.getTime();
  const step = trigger.intervalSeconds * 1000;
  let k = fromExclusive < start ? 0 : Math.floor((fromExclusive - start) / step) + 1;
  for (;;) yield start + k++ * step;
}

export function latestIntervalInstantAtOrBefore(trigger: IntervalTrigger, instant: number): number | null {
  const start = trigger.startAt.getTime();
  if (instant < start) return null;
  const step = trigger.intervalSeconds * 1000;
  return start + Math.floor((instant - start) / step) * step;
}

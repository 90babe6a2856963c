import type { DateTrigger } from "./trigger.ts";

/** A date trigger has one slot, its instant. */
export function* dateInstantsAfter(trigger: DateTrigger, fromExclusive: number): Generator<number> {
  const runAt = trigger.runAt.getTime();
  if (runAt > fromExclusive) yield runAt;
}

export function latestDateInstantAtOrBefore(trigger: DateTrigger, instant: number): number | null {
  const runAt = trigger.runAt.getTime();
  return runAt <= instant ? runAt : null;
}

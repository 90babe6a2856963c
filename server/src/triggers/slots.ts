import { compileCron } from "./cron-expression.ts";
import { cronInstantsAfter, latestCronInstantAtOrBefore } from "./cron-trigger.ts";
import { dateInstantsAfter, latestDateInstantAtOrBefore } from "./date-trigger.ts";
import { intervalInstantsAfter, latestIntervalInstantAtOrBefore } from "./interval-trigger.ts";
import type { SlotWindow, Trigger } from "./trigger.ts";
import { zoneClock } from "./wall-clock.ts";

// The questions the dispatcher and the API ask of a trigger. `zone` matters only for CRON;
// it is a resolved IANA name (see resolveTimeZone / triggerFromJob).

/** The next `count` fire times strictly after `after`, oldest first (a DATE trigger has at most one). */
export function nextFireTimes(trigger: Trigger, zone: string, after: Date, count: number): Date[] {
  assertCount(count, "count");
  const times: Date[] = [];
  if (count === 0) return times;
  for (const instant of instantsAfter(trigger, zone, timeOf(after, "after"))) {
    times.push(new Date(instant));
    if (times.length === count) break;
  }
  return times;
}

/**
 * The slots in (fromExclusive, toInclusive], oldest first, at most `limit` of them. The dispatcher
 * passes its previous tick as `fromExclusive`, so a slot is never offered by two windows and the
 * slots missed while it was down are offered by the first window after it returns.
 */
export function slotsInWindow(trigger: Trigger, zone: string, fromExclusive: Date, toInclusive: Date, limit: number): SlotWindow {
  assertCount(limit, "limit");
  const to = timeOf(toInclusive, "toInclusive");
  const slots: Date[] = [];
  for (const instant of instantsAfter(trigger, zone, timeOf(fromExclusive, "fromExclusive"))) {
    if (instant > to) break;
    if (slots.length === limit) return { slots, truncated: true };
    slots.push(new Date(instant));
  }
  return { slots, truncated: false };
}

/** The latest slot at or before `instant` (e.g. the one slot to run when missed ones are coalesced), or null. */
export function latestSlotAtOrBefore(trigger: Trigger, zone: string, instant: Date): Date | null {
  const at = timeOf(instant, "instant");
  let latest: number | null;
  switch (trigger.type) {
    case "CRON":
      latest = latestCronInstantAtOrBefore(compileCron(trigger.cronExpr), zoneClock(zone), at);
      break;
    case "INTERVAL":
      latest = latestIntervalInstantAtOrBefore(trigger, at);
      break;
    case "DATE":
      latest = latestDateInstantAtOrBefore(trigger, at);
      break;
  }
  return latest === null ? null : new Date(latest);
}

function instantsAfter(trigger: Trigger, zone: string, fromExclusive: number): Iterable<number> {
  switch (trigger.type) {
    case "CRON":
      return cronInstantsAfter(compileCron(trigger.cronExpr), zoneClock(zone), fromExclusive);
    case "INTERVAL":
      return intervalInstantsAfter(trigger, fromExclusive);
    case "DATE":
      return dateInstantsAfter(trigger, fromExclusive);
  }
}

function timeOf(date: Date, name: string): number {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError(`${name} is an invalid Date`);
  return time;
}

function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0 (got ${value})`);
}

/*
 * Cron slots in a job's time zone, and what happens when daylight saving moves the clocks.
 *
 * Cron is matched against wall time (the local date and time on the zone's clocks) and each
 * matching wall time is mapped to real instants (wall-clock.ts). Most wall times happen exactly
 * once. Twice a year in DST zones some do not, and the policy, Vixie-cron style, is:
 *
 * 1. Wall-clock schedules — the hour field lists particular hours ("30 2 * * *", "0 9-17 * * 1-5"):
 *    each matching wall time fires exactly once.
 *    - Spring forward (02:00 → 03:00 in America/New_York): a time in the skipped hour fires once at
 *      the first instant after the jump (03:00 local). Several skipped times ("*\/15 2 * * *")
 *      fire together, once; a job also due at 03:00 itself fires once at 03:00.
 *    - Fall back (02:00 → 01:00): a time in the repeated hour fires on its first pass only
 *      (01:30 EDT, not again at 01:30 EST).
 * 2. Real-time schedules — the hour field matches all 24 hours ("0 * * * *", "*\/10 * * * *"):
 *    they fire at every real instant whose local time matches, so they keep their rhythm.
 *    - Fall back: the repeated hour's matches fire on both passes; 01:00 EDT and 01:00 EST are
 *      an hour apart, so "0 * * * *" still fires once per real hour.
 *    - Spring forward: skipped times do not fire; no time passed for them ("0 * * * *" fires at
 *      01:00 EST and then 03:00 EDT, an hour later).
 *
 * cron-parser's own tz mode is not used for this: in 5.10 it moves a skipped 02:30 to 03:30,
 * and next() and prev() disagree at both transitions (prev() skips the spring day and returns
 * both passes of the autumn one), which would make a window starting inside the repeated hour
 * fire "30 1 * * *" twice. So matching happens over wall times in UTC, where no day has a gap
 * or a repeat (cron-expression.ts, wall-matcher.ts), and the policy is here.
 *
 * Nothing depends on the process's TZ: wall times are matched as UTC, offsets come from the
 * job's zone through luxon.
 */
import type { CompiledCron } from "./cron-expression.ts";
import type { ZoneClock } from "./wall-clock.ts";

const DAY_MS = 86_400_000;

/** The real instants one matching wall time fires at, oldest first, under the policy above. */
function firingInstants(cron: CompiledCron, clock: ZoneClock, wall: number): number[] {
  const resolution = clock.resolve(wall);
  switch (resolution.kind) {
    case "unique":
      return [resolution.instant];
    case "repeated":
      return cron.everyHour ? [resolution.earlier, resolution.later] : [resolution.earlier];
    case "skipped":
      return cron.everyHour ? [] : [resolution.gapEnd];
  }
}

/**
 * Fire instants strictly after `fromExclusive`, oldest first, without duplicates. Lazy: the
 * caller stops when it has enough, so an unbounded schedule costs only what is read.
 */
export function* cronInstantsAfter(cron: CompiledCron, clock: ZoneClock, fromExclusive: number): Generator<number> {
  // The earliest wall time that could map after `fromExclusive`: a fall-back within the next day
  // makes later instants show earlier wall times, hence the smaller of the two offsets.
  const startWall = fromExclusive + Math.min(clock.offsetAt(fromExclusive), clock.offsetAt(fromExclusive + DAY_MS));
  // Along increasing wall times, the earliest instant each one fires at never decreases, so that
  // instant is final as soon as it is seen. Only a real-time schedule's second pass through a
  // repeated hour comes out of order; it waits here until a wall time's first instant passes it.
  const waiting: number[] = [];
  let last = fromExclusive;
  let wall: number | null = startWall - 1;
  while ((wall = cron.nextWallAfter(wall)) !== null) {
    const [first, ...rest] = firingInstants(cron, clock, wall);
    if (first === undefined) continue;
    while (waiting.length > 0 && (waiting[0] ?? Infinity) <= first) {
      const ready = waiting.shift() ?? first;
      if (ready > last) yield (last = ready);
    }
    if (first > last) yield (last = first);
    for (const later of rest) insertSorted(waiting, later);
  }
  for (const ready of waiting) if (ready > last) yield (last = ready);
}

/** The latest fire instant at or before `instant`, or null if the schedule never fired before it. */
export function latestCronInstantAtOrBefore(cron: CompiledCron, clock: ZoneClock, instant: number): number | null {
  const topWall = instant + Math.max(clock.offsetAt(instant), clock.offsetAt(instant - DAY_MS));
  // Mirror of cronInstantsAfter: along decreasing wall times the latest instant each one fires at
  // never increases, so once a wall time's latest instant is no later than the best found, stop.
  let best: number | null = null;
  let wall: number | null = topWall + 1;
  while ((wall = cron.lastWallBefore(wall)) !== null) {
    const instants = firingInstants(cron, clock, wall);
    const latest = instants[instants.length - 1];
    if (latest === undefined) continue;
    if (best !== null && latest <= best) break;
    for (const candidate of instants) if (candidate <= instant && (best === null || candidate > best)) best = candidate;
  }
  return best;
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] ?? -Infinity) > value) i--;
  list.splice(i, 0, value);
}

import { latestSlotAtOrBefore, slotsInWindow, type JobSchedule } from "../triggers/index.ts";

/** How many missed slots get a SKIPPED_MISFIRE record of their own; older ones are counted in a note. */
export const MISSED_RECORDED_INDIVIDUALLY = 10;
/** Counting stops here: a job that missed more says "more than". */
export const MISSED_COUNT_LIMIT = 100_000;

export interface MissedSlots {
  /** Newest first, at most `recordLimit`; the first is the latest missed slot. */
  readonly newest: Date[];
  /** All missed slots, up to MISSED_COUNT_LIMIT. */
  readonly total: number;
  readonly totalIsLowerBound: boolean;
}

/** The slots in (baseline, horizon]: the ones a job should have fired but has no fire record for. */
export function missedSlots(schedule: JobSchedule, baseline: Date, horizon: Date, recordLimit = MISSED_RECORDED_INDIVIDUALLY): MissedSlots | null {
  if (horizon <= baseline) return null;
  const { trigger, zone } = schedule;
  const newest: Date[] = [];
  let cursor: Date | null = horizon;
  while (newest.length < recordLimit && cursor) {
    const slot = latestSlotAtOrBefore(trigger, zone, cursor);
    if (!slot || slot <= baseline) break;
    newest.push(slot);
    cursor = new Date(slot.getTime() - 1);
  }
  if (newest.length === 0) return null;
  if (newest.length < recordLimit) return { newest, total: newest.length, totalIsLowerBound: false };
  const window = slotsInWindow(trigger, zone, baseline, horizon, MISSED_COUNT_LIMIT);
  return { newest, total: window.slots.length, totalIsLowerBound: window.truncated };
}

export interface MisfireDecision {
  /** The latest missed slot, run once as CATCHUP when still within the grace window. */
  readonly catchUp: Date | null;
  /** SKIPPED_MISFIRE records to write: slot and note. */
  readonly skipped: { at: Date; note: string }[];
}

/**
 * At most one catch-up run per job: the latest missed slot, if it is no older than the grace
 * window; every other recorded missed slot is SKIPPED_MISFIRE, the oldest recorded one carrying the
 * count of those not recorded individually.
 */
export function decideMisfires(missed: MissedSlots, now: Date, graceSeconds: number): MisfireDecision {
  const [latest, ...older] = missed.newest;
  if (!latest) return { catchUp: null, skipped: [] };
  const withinGrace = now.getTime() - latest.getTime() <= graceSeconds * 1000;
  const skipped = older.map((at) => ({ at, note: `Missed while no dispatcher was running; only the latest missed slot may catch up.` }));
  if (!withinGrace) {
    skipped.unshift({ at: latest, note: `Missed while no dispatcher was running, and older than misfireGraceSeconds (${graceSeconds} s) when found, so not caught up.` });
  }
  const unrecorded = missed.total - missed.newest.length;
  const oldest = skipped[skipped.length - 1];
  if (unrecorded > 0 && oldest) {
    oldest.note += ` ${missed.totalIsLowerBound ? "More than " : ""}${unrecorded} earlier missed slot(s) are not recorded individually.`;
  }
  return { catchUp: withinGrace ? latest : null, skipped };
}

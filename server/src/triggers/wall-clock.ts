import { IANAZone } from "luxon";
import { assertValidTimeZone } from "./time-zone.ts";

// A "wall time" here is a local date and time written as milliseconds as if it were UTC
// (2026-03-08 02:30 local → Date.UTC(2026, 2, 8, 2, 30)). Cron is matched in that space,
// where no day has a gap or a repeat; this module maps wall times back to real instants.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MEMO_LIMIT = 4096;

/** How one wall time exists in a zone. */
export type WallTimeResolution =
  | { readonly kind: "unique"; readonly instant: number }
  /** Fall-back: the wall time happens twice; `earlier` is the first pass. */
  | { readonly kind: "repeated"; readonly earlier: number; readonly later: number }
  /** Spring-forward: the wall time never happens; `gapEnd` is the first instant after the jump. */
  | { readonly kind: "skipped"; readonly gapEnd: number };

export class ZoneClock {
  readonly #zone: IANAZone;
  // Offsets are asked for the same instants over and over in one dispatcher tick
  // (the window's ends, hour-aligned probes), and Intl is the slow part.
  readonly #memo = new Map<number, number>();

  readonly name: string;
  constructor(name: string) {
    this.name = name;
    this.#zone = IANAZone.create(assertValidTimeZone(name));
  }

  /** UTC offset in milliseconds in effect at `instant`. */
  offsetAt(instant: number): number {
    let offset = this.#memo.get(instant);
    if (offset === undefined) {
      if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear();
      offset = this.#zone.offset(instant) * 60_000;
      this.#memo.set(instant, offset);
    }
    return offset;
  }

  /** The wall time a real instant shows on this zone's clocks. */
  wallTimeOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  resolve(wall: number): WallTimeResolution {
    // Offsets a day either side bracket any transition near this wall time. Hour-aligned probes
    // hit the memo for every job whose wall time falls in the same hour. Assumes a zone never
    // changes offset twice within two days, which holds for every tzdata zone in use.
    const hour = Math.floor(wall / HOUR_MS) * HOUR_MS;
    const before = this.offsetAt(hour - DAY_MS);
    const after = this.offsetAt(hour + DAY_MS + HOUR_MS);
    if (before === after) return { kind: "unique", instant: wall - before };

    const withBefore = wall - before;
    const withAfter = wall - after;
    const beforeHolds = this.offsetAt(withBefore) === before;
    const afterHolds = this.offsetAt(withAfter) === after;
    if (beforeHolds && afterHolds) {
      return { kind: "repeated", earlier: Math.min(withBefore, withAfter), later: Math.max(withBefore, withAfter) };
    }
    if (beforeHolds) return { kind: "unique", instant: withBefore };
    if (afterHolds) return { kind: "unique", instant: withAfter };
    return { kind: "skipped", gapEnd: this.#transitionBetween(Math.min(withBefore, withAfter), Math.max(withBefore, withAfter)) };
  }

  /** First whole second in (lo, hi] whose offset differs from lo's; tzdata transitions fall on whole seconds. */
  #transitionBetween(lo: number, hi: number): number {
    // Through the memo: every dispatcher tick near a transition repeats the same search.
    const offsetBefore = this.offsetAt(lo);
    let loS = Math.floor(lo / 1000);
    let hiS = Math.ceil(hi / 1000);
    while (hiS - loS > 1) {
      const mid = Math.floor((loS + hiS) / 2);
      if (this.offsetAt(mid * 1000) === offsetBefore) loS = mid;
      else hiS = mid;
    }
    return hiS * 1000;
  }
}

const clocks = new Map<string, ZoneClock>();

/** One clock per zone name for the life of the process (a few hundred zones at most). */
export function zoneClock(name: string): ZoneClock {
  let clock = clocks.get(name);
  if (clock === undefined) {
    clock = new ZoneClock(name);
    clocks.set(name, clock);
  }
  return clock;
}

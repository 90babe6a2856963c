import { sleep } from "./sleep.ts";

/** Where a Pacer reads the time and waits; tests pass a manual clock instead of the real one. */
export interface PacerClock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_PACER_CLOCK: PacerClock = { now: () => performance.now(), sleep };

/**
 * Keeps at least `intervalMs` between the starts of successive calls — what rate-limited
 * APIs ask for (Didi: 150 ms between member writes of one company). The first call goes
 * at once; the pause is abortable.
 */
export class Pacer {
  #last: number | null = null;
  readonly intervalMs: number;
  readonly #clock: PacerClock;

  constructor(intervalMs: number, clock: PacerClock = SYSTEM_PACER_CLOCK) {
    this.intervalMs = intervalMs;
    this.#clock = clock;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (this.#last !== null) {
      // Timers run on a millisecond clock and may fire a fraction early; loop until due.
      let remaining = this.#last + this.intervalMs - this.#clock.now();
      while (remaining > 0) {
        await this.#clock.sleep(Math.ceil(remaining), signal);
        remaining = this.#last + this.intervalMs - this.#clock.now();
      }
    }
    this.#last = this.#clock.now();
  }
}

import { sleep } from "./sleep.ts";

/**
 * Keeps at least `intervalMs` between the starts of successive calls — what rate-limited
 * APIs ask for (Didi: 150 ms between member writes of one company). The first call goes
 * at once; the pause is abortable.
 */
export class Pacer {
  private last: number | null = null;

  readonly intervalMs: number;
  private readonly now: () => number;
  constructor(
    intervalMs: number,
    now: () => number = () => performance.now(),
  ) {
    this.intervalMs = intervalMs;
    this.now = now;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (this.last !== null) {
      // Timers run on a millisecond clock and may fire a fraction early; loop until due.
      let remaining = this.last + this.intervalMs - this.now();
      while (remaining > 0) {
        await sleep(Math.ceil(remaining), signal);
        remaining = this.last + this.intervalMs - this.now();
      }
    }
    this.last = this.now();
  }
}

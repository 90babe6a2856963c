import type { PacerClock } from "../../src/integrations/pacer.ts";
import { throwIfAborted } from "../../src/integrations/sleep.ts";

/**
 * A PacerClock that only moves when something sleeps on it (or `advance` is called): pacing is
 * then asserted as exact waits, whatever the machine's load.
 */
export class ManualClock implements PacerClock {
  #now = 0;
  /** Every sleep asked for, in order. */
  readonly sleeps: number[] = [];
  /** Called as each sleep starts (e.g. to cancel a run at a chosen point). */
  onSleep: (ms: number) => void = () => {};

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    this.sleeps.push(ms);
    this.onSleep(ms);
    throwIfAborted(signal);
    this.#now += ms;
  }
}

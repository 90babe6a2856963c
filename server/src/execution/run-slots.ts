/**
 * The worker's run capacity (WORKER_CONCURRENCY): every run holds one slot from its claim until
 * its handler has settled (or been given up on after an abort), whichever queue job brought it;
 * storing its final state happens after, off the slot. First come, first served.
 *
 * Kept instead of p-limit (which `scheduler/map-limit.ts` uses): p-limit runs one function per
 * slot, while a worker takes *several* slots at once for a group ("as many as are free, up to n",
 * before it knows which runs its claim will win), hands back the unused ones, releases each run's
 * slot at a different moment than it took it, and must stop waiting when it is told to stop.
 */
export class RunSlots {
  #free: number;
  readonly #waiting: Array<{ want: number; grant: (n: number) => void }> = [];

  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
    this.#free = capacity;
  }

  get free(): number {
    return this.#free;
  }

  /**
   * Waits until at least one slot is free, then takes as many as are free, up to `want` (≥ 1).
   * Resolves 0, taking nothing, if `signal` aborts first (a stopping worker waits for no slot).
   */
  acquireUpTo(want: number, signal?: AbortSignal): Promise<number> {
    if (want < 1) throw new RangeError(`acquireUpTo(${want}): want at least one slot`);
    if (signal?.aborted) return Promise.resolve(0);
    if (this.#free > 0 && this.#waiting.length === 0) return Promise.resolve(this.#take(want));
    return new Promise((resolve) => {
      const onAbort = () => {
        const i = this.#waiting.indexOf(waiter);
        if (i >= 0) this.#waiting.splice(i, 1);
        resolve(0);
      };
      const waiter = {
        want,
        grant: (n: number) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(n);
        },
      };
      this.#waiting.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Takes up to `want` slots that are free now, without waiting; none while others wait (first come, first served). */
  takeFree(want: number): number {
    return want > 0 && this.#waiting.length === 0 ? this.#take(want) : 0;
  }

  release(n = 1): void {
    if (this.#free + n > this.capacity) throw new Error(`RunSlots: released more slots than were taken (${this.#free + n} > ${this.capacity})`);
    this.#free += n;
    while (this.#free > 0 && this.#waiting.length) {
      const next = this.#waiting.shift()!;
      next.grant(this.#take(next.want));
    }
  }

  #take(want: number): number {
    const n = Math.min(want, this.#free);
    this.#free -= n;
    return n;
  }
}

/**
 * The worker's run capacity (WORKER_CONCURRENCY): every run holds one slot from its claim to its
 * end, whichever queue job brought it. First come, first served.
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

  /** Waits until at least one slot is free, then takes as many as are free, up to `want` (≥ 1). */
  acquireUpTo(want: number): Promise<number> {
    if (want < 1) throw new RangeError(`acquireUpTo(${want}): want at least one slot`);
    if (this.#free > 0 && this.#waiting.length === 0) return Promise.resolve(this.#take(want));
    return new Promise((grant) => this.#waiting.push({ want, grant }));
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

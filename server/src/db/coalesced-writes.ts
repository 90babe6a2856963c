/**
 * One write in flight at a time; items that arrive meanwhile go out together in the next write.
 * A burst (a minute boundary's runs starting, ending, announcing themselves) then costs a few
 * statements, not one per item, while a lone item waits for nothing.
 */
export class CoalescedWrites<T, R> {
  readonly #pending: Array<{ item: T; settle: (result: R | Error) => void }> = [];
  #writing: Promise<void> | null = null;

  private readonly write: (batch: T[]) => Promise<Array<R | Error>>;
  private readonly size: (pending: readonly T[]) => number;

  /**
   * @param write stores a batch; returns each item's result (an Error fails only that item), or throws to fail them all
   * @param size how many of the pending items the next write takes (at least one)
   */
  constructor(
    write: (batch: T[]) => Promise<Array<R | Error>>,
    size: (pending: readonly T[]) => number,
  ) {
    this.write = write;
    this.size = size;
  }

  push(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, settle: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      this.#writing ??= this.#pump();
    });
  }

  /** Resolves once everything pushed so far is written. */
  async drained(): Promise<void> {
    await this.#writing;
  }

  async #pump(): Promise<void> {
    while (this.#pending.length) {
      const taken = this.#pending.splice(0, Math.max(1, this.size(this.#pending.map((p) => p.item))));
      try {
        const results = await this.write(taken.map((p) => p.item));
        taken.forEach((p, i) => p.settle(results[i]!));
      } catch (error) {
        for (const p of taken) p.settle(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.#writing = null;
  }
}

/** How many items from the front fit `max` items and `maxWeight` (the first always fits). */
export function fitting<T>(items: readonly T[], max: number, maxWeight = Infinity, weight: (item: T) => number = () => 0): number {
  let n = 0;
  let total = 0;
  while (n < items.length && n < max && (n === 0 || total + weight(items[n]!) <= maxWeight)) total += weight(items[n++]!);
  return n;
}

import type { Runtime } from "../runtime.ts";
import type { PlainRequest, PlainStart } from "../runs/index.ts";
import { claimPlainRuns } from "./claim.ts";
import type { RunSlots } from "./run-slots.ts";

/** How a queue job's plain run fared: started (`ended` settles when it ends), the claim failed, or nothing started here (null). */
export type PlainStartResult = { ended: Promise<void> } | { failed: unknown } | null;

export interface PlainStarterDeps {
  runtime: Runtime;
  workerId: string;
  slots: RunSlots;
  /** Runs executing in this process, by log id (a run held here by another delivery is left to it). */
  active: Map<number, AbortController>;
  /** Registers a run about to start (its controller in `active`; a cancel already heard for it aborts it). */
  register(logId: number): AbortController;
  /** Runs the handler of a started run; `freeSlot` is called once it has settled. Never rejects. */
  launch(start: PlainStart, controller: AbortController, freeSlot: () => void): Promise<void>;
  /** The end of a run taken from the queue without a queue job of this worker's (tracked for shutdown). */
  track(ended: Promise<void>): void;
  /** Also take plain runs waiting in the queue into free slots (the PostgreSQL queue: startPlainRuns's takeWaiting). */
  takeWaiting: boolean;
  isStopping(): boolean;
  stopSignal: AbortSignal;
}

interface Pending {
  request: PlainRequest;
  resolve(result: PlainStartResult): void;
}

/**
 * Starts plain runs (Run Now, retries) for one worker, as many per statement as there are free run
 * slots. Every queue job with a plain run asks here; the asks waiting for a slot, and (on the
 * PostgreSQL queue) runs still waiting in the queue, go out together in one claim statement once
 * slots free: a drain of queued Run Nows costs a claim per wave of slots, not a queue lock, claim
 * and queue removal per run. One statement at a time: asks made while one is in flight join the next.
 *
 * A run taken from the queue this way has no queue job of this worker: its end is handed to
 * `track`, and its queue job is removed by the claim itself.
 */
export class PlainStarter {
  readonly #deps: PlainStarterDeps;
  readonly #pending: Pending[] = [];
  #running = false;
  /** The last claim took as many waiting runs as it had room for: more are likely waiting. */
  #moreWaiting = false;

  constructor(deps: PlainStarterDeps) {
    this.#deps = deps;
  }

  /**
   * A plain run was queued somewhere (a wake-up): with `takeWaiting`, take what waits in the queue
   * into free run slots (once one frees, if none is free now). Without it, nothing: the queue locks it.
   */
  poke(): void {
    if (!this.#deps.takeWaiting || this.#deps.isStopping()) return;
    this.#moreWaiting = true;
    if (!this.#running) void this.#loop();
  }

  start(logId: number, queueJobId: string | null): Promise<PlainStartResult> {
    return new Promise((resolve) => {
      this.#pending.push({ request: { logId, queueJobId }, resolve });
      if (!this.#running) void this.#loop();
    });
  }

  async #loop(): Promise<void> {
    this.#running = true;
    const { slots } = this.#deps;
    try {
      while (this.#pending.length || this.#moreWaiting) {
        const want = Math.min(slots.capacity, this.#pending.length + (this.#deps.takeWaiting ? slots.capacity : 0));
        let taken = await slots.acquireUpTo(want, this.#deps.stopSignal);
        if (taken > 0 && taken < want && !this.#deps.isStopping()) {
          // Handlers that end in this turn free their slots too: they join this statement.
          await new Promise((r) => setImmediate(r));
          taken += slots.takeFree(want - taken);
        }
        if (taken === 0 || this.#deps.isStopping()) {
          // A stopping worker starts nothing more: the asks go back to startRuns, which hands them back.
          slots.release(taken);
          for (const p of this.#pending.splice(0)) p.resolve(null);
          this.#moreWaiting = false;
          break;
        }
        await this.#claim(taken);
      }
    } finally {
      this.#running = false;
    }
  }

  /** One claim statement for up to `taken` runs (the asks first, then runs waiting in the queue); releases the slots it does not use. */
  async #claim(taken: number): Promise<void> {
    const { active, slots } = this.#deps;
    const asks = new Map<number, { pending: Pending; controller: AbortController }>();
    while (asks.size < taken && this.#pending.length) {
      const pending = this.#pending.shift()!;
      const id = pending.request.logId;
      // Held here by another delivery of its queue job (or asked twice): that one's.
      if (active.has(id) || asks.has(id)) pending.resolve({ ended: Promise.resolve() });
      else asks.set(id, { pending, controller: this.#deps.register(id) });
    }
    const extra = this.#deps.takeWaiting ? taken - asks.size : 0;
    this.#moreWaiting = false;
    let claimed: PlainStart[] = [];
    try {
      claimed = await claimPlainRuns(this.#deps.runtime, [...asks.values()].map((a) => a.pending.request), this.#deps.workerId, extra);
    } catch (failed) {
      for (const [id, ask] of asks) {
        if (active.get(id) === ask.controller) active.delete(id);
        ask.pending.resolve({ failed });
      }
      slots.release(taken);
      return;
    }
    slots.release(taken - claimed.length);
    // Every slot offered to waiting runs was filled: keep taking them as slots free, without waiting
    // for the queue to lock the next one (a drain goes at the pace of the run slots, not the queue's).
    // A wake-up heard while this claim was in flight (poke) also asks for one more: its run may have
    // been committed after the claim's snapshot.
    if (extra > 0 && claimed.filter((c) => !asks.has(c.run.id)).length === extra) this.#moreWaiting = true;
    const started = new Set(claimed.map((c) => c.run.id));
    for (const [id, ask] of asks) {
      if (started.has(id)) continue;
      // Taken, cancelled or removed meanwhile, or a fired run: startRuns decides it as for any queue job.
      if (active.get(id) === ask.controller) active.delete(id);
      ask.pending.resolve(null);
    }
    for (const start of claimed) {
      const ask = asks.get(start.run.id);
      const controller = ask?.controller ?? this.#deps.register(start.run.id);
      const ended = this.#launch(start, controller);
      if (ask) ask.pending.resolve({ ended });
      else this.#deps.track(ended);
    }
  }

  #launch(start: PlainStart, controller: AbortController): Promise<void> {
    const { active, slots } = this.#deps;
    let freed = false;
    // The slot is the handler's: it frees once the handler has settled, before the final state is stored.
    const freeSlot = () => {
      if (freed) return;
      freed = true;
      slots.release(1);
    };
    return this.#deps.launch(start, controller, freeSlot).finally(() => {
      if (active.get(start.run.id) === controller) active.delete(start.run.id);
      freeSlot();
    });
  }
}

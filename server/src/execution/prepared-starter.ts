import type { JobLog } from "../generated/prisma/client.ts";
import type { Runtime } from "../runtime.ts";
import { type PreparedStart, startPrepared } from "./claim.ts";

/**
 * Prepared runs per statement, at most. Each guarded run's job lock is held to the end of its
 * transaction, and PostgreSQL's shared lock table is sized by max_locks_per_transaction (64) ×
 * max_connections (6,400 by default): several workers' statements must fit in it together.
 */
const MAX_PREPARED_PER_STATEMENT = 500;

/**
 * Starts prepared runs for one worker, the runs of every queue job that reaches its instant while
 * a start is in flight together in the next statement: at a minute boundary a worker's groups
 * (a queue job each) start in one or two statements instead of one each.
 */
export class PreparedStarter {
  readonly #pending: Array<{ ready: readonly PreparedStart[]; queueJobId: string | null; settle: (runs: JobLog[] | Error) => void }> = [];
  #starting = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly workerId: string,
  ) {}

  start(ready: readonly PreparedStart[], queueJobId: string | null): Promise<JobLog[]> {
    if (ready.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#pending.push({ ready, queueJobId, settle: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      if (!this.#starting) void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    this.#starting = true;
    while (this.#pending.length) {
      let n = 0;
      let runs = 0;
      while (n < this.#pending.length && (n === 0 || runs + this.#pending[n]!.ready.length <= MAX_PREPARED_PER_STATEMENT)) runs += this.#pending[n++]!.ready.length;
      const entries = this.#pending.splice(0, n);
      try {
        const started = await startPrepared(
          this.runtime,
          entries.flatMap((e) => e.ready),
          this.workerId,
          entries.flatMap((e) => e.ready.map(() => e.queueJobId)),
        );
        const byId = new Map(started.map((r) => [r.id, r]));
        for (const e of entries) e.settle(e.ready.flatMap((s) => byId.get(s.log.id) ?? []));
      } catch (error) {
        for (const e of entries) e.settle(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.#starting = false;
  }
}

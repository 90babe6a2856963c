import type { JobLog } from "../generated/prisma/client.ts";
import type { Runtime } from "../runtime.ts";
import { CoalescedWrites, fitting } from "../db/coalesced-writes.ts";
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
  readonly #writes = new CoalescedWrites<{ ready: readonly PreparedStart[]; queueJobId: string | null }, JobLog[]>(
    async (entries) => {
      const started = await startPrepared(
        this.runtime,
        entries.flatMap((e) => e.ready),
        this.workerId,
        entries.flatMap((e) => e.ready.map(() => e.queueJobId)),
      );
      const byId = new Map(started.map((r) => [r.id, r]));
      return entries.map((e) => e.ready.flatMap((s) => byId.get(s.log.id) ?? []));
    },
    (pending) => fitting(pending, Infinity, MAX_PREPARED_PER_STATEMENT, (e) => e.ready.length),
  );

  private readonly runtime: Runtime;
  private readonly workerId: string;
  constructor(
    runtime: Runtime,
    workerId: string,
  ) {
    this.runtime = runtime;
    this.workerId = workerId;
  }

  start(ready: readonly PreparedStart[], queueJobId: string | null): Promise<JobLog[]> {
    return ready.length === 0 ? Promise.resolve([]) : this.#writes.push({ ready, queueJobId });
  }
}

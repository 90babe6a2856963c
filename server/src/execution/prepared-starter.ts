import type { JobLog } from "../generated/prisma/client.ts";
import type { Runtime } from "../runtime.ts";
import { CoalescedWrites, fitting } from "../db/coalesced-writes.ts";
import { type PreparedStart, startPrepared } from "../runs/index.ts";

/**
 * Prepared runs per statement, at most. Each guarded run's job lock is held to the end of its
 * transaction, and PostgreSQL's shared lock table is sized by max_locks_per_transaction (64) ×
 * max_connections (6,400 by default): several workers' statements must fit in it together.
 */
const MAX_PREPARED_PER_STATEMENT = 500;

interface Entry {
  ready: readonly PreparedStart[];
  queueJobId: string | null;
}

/**
 * Starts prepared runs for one worker, the runs of every queue job that reaches its instant while
 * a start is in flight together in the next statement: at a minute boundary a worker's groups
 * (a queue job each) start in one or two statements instead of one each.
 *
 * The same run may be asked for by two entries of one batch (a queue that delivered its queue job
 * twice to this process): the statement names each run once, and only the first entry asking for
 * it gets it, so its handler is called once.
 */
export class PreparedStarter {
  readonly #runtime: Runtime;
  readonly #workerId: string;
  readonly #isStopping: () => boolean;
  readonly #writes = new CoalescedWrites<Entry, JobLog[]>(
    (entries) => this.#start(entries),
    (pending) => fitting(pending, Infinity, MAX_PREPARED_PER_STATEMENT, (e) => e.ready.length),
  );

  /** `isStopping`: once true, statements not yet sent start nothing (the runs stay QUEUED, to be handed back). */
  constructor(runtime: Runtime, workerId: string, isStopping: () => boolean = () => false) {
    this.#runtime = runtime;
    this.#workerId = workerId;
    this.#isStopping = isStopping;
  }

  start(ready: readonly PreparedStart[], queueJobId: string | null): Promise<JobLog[]> {
    return ready.length === 0 ? Promise.resolve([]) : this.#writes.push({ ready, queueJobId });
  }

  async #start(entries: readonly Entry[]): Promise<JobLog[][]> {
    if (this.#isStopping()) return entries.map(() => []);
    const owner = new Map<number, number>();
    const starts: PreparedStart[] = [];
    const queueJobIds: Array<string | null> = [];
    entries.forEach((e, i) => {
      for (const s of e.ready) {
        if (owner.has(s.log.id)) continue;
        owner.set(s.log.id, i);
        starts.push(s);
        queueJobIds.push(e.queueJobId);
      }
    });
    const started = await startPrepared(this.#runtime, starts, this.#workerId, queueJobIds);
    const byEntry = entries.map((): JobLog[] => []);
    for (const run of started) byEntry[owner.get(run.id)!]!.push(run);
    return byEntry;
  }
}

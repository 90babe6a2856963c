import type { JobLog } from "../generated/prisma/client.ts";
import type { Runtime } from "../runtime.ts";
import { fitting } from "../db/coalesced-writes.ts";
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
  resolve: (runs: JobLog[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Start statements one worker has in flight at once, at most. A slot that frees while a start is
 * in flight sends its next start at once instead of waiting for that one; past this, starts wait
 * and go out together (a burst costs a few statements, not one per freed slot, and each holds a
 * pooled connection for its transaction).
 */
const MAX_IN_FLIGHT = 2;

/**
 * Starts prepared runs for one worker: the runs of every queue job that asks in the same turn of
 * the event loop go out together in one statement. At a minute boundary a worker's groups (a queue
 * job each) reach their instant together and start in one statement; after that, the run slots
 * that free (handlers ending in the same turn together) start the next runs at once, beside a
 * statement still in flight (up to MAX_IN_FLIGHT; beyond, they wait and go out together).
 *
 * The same run may be asked for by two entries of one batch (a queue that delivered its queue job
 * twice to this process): the statement names each run once, and only the first entry asking for
 * it gets it, so its handler is called once. Two statements in flight that name the same run
 * start it once: the start is a conditional QUEUED → RUNNING update.
 */
export class PreparedStarter {
  readonly #runtime: Runtime;
  readonly #workerId: string;
  readonly #isStopping: () => boolean;
  readonly #pending: Entry[] = [];
  #inFlight = 0;
  #scheduled = false;

  /** `isStopping`: once true, statements not yet sent start nothing (the runs stay QUEUED, to be handed back). */
  constructor(runtime: Runtime, workerId: string, isStopping: () => boolean = () => false) {
    this.#runtime = runtime;
    this.#workerId = workerId;
    this.#isStopping = isStopping;
  }

  start(ready: readonly PreparedStart[], queueJobId: string | null): Promise<JobLog[]> {
    if (ready.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#pending.push({ ready, queueJobId, resolve, reject });
      if (this.#scheduled) return;
      // The rest of this turn's starts (groups reaching their instant, slots freed together) join it.
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.#send();
      });
    });
  }

  #send(): void {
    while (this.#inFlight < MAX_IN_FLIGHT && this.#pending.length) {
      const batch = this.#pending.splice(0, fitting(this.#pending, Infinity, MAX_PREPARED_PER_STATEMENT, (e) => e.ready.length));
      this.#inFlight++;
      this.#start(batch)
        .then(
          (byEntry) => batch.forEach((e, i) => e.resolve(byEntry[i]!)),
          (error: unknown) => batch.forEach((e) => e.reject(error)),
        )
        .finally(() => {
          this.#inFlight--;
          this.#send();
        });
    }
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

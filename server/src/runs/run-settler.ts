import type { Prisma } from "../db/prisma.ts";
import type { JobStatus } from "../generated/prisma/enums.ts";
import { backoffDelay, sleep } from "../db/backoff.ts";
import { CoalescedWrites, fitting } from "../db/coalesced-writes.ts";
import { describeConnectionError, isConnectionError } from "../db/connection-errors.ts";
import { logger } from "../logging/logger.ts";

/** What a run ends with. `result` null stores no result. */
export interface FinalState {
  status: JobStatus;
  message: string;
  /** run-messages.ts: the message's code and parameters. */
  messageCode: string;
  messageParams: Record<string, string | number>;
  traceback: string | null;
  runLog: string;
  runLogBytes: number;
  result: unknown;
  finishedAt: Date;
}

/** Runs per statement, at most, and about this many bytes of run logs. */
const MAX_RUNS = 100;
const MAX_BYTES = 4 * 1024 * 1024;
/** How long a final state is retried while the database is unreachable. */
export const SETTLE_RETRY_MS = 5 * 60_000;

interface Pending {
  id: number;
  state: FinalState;
}

/**
 * Stores runs' final states for one worker. Runs that end while a write is in flight are stored
 * together in the next statement. A statement that fails is retried run by run, so one bad row
 * fails only its own run.
 */
export class RunSettler {
  readonly #writes = new CoalescedWrites<Pending, boolean>(
    (batch) => this.#writeOrSplit(batch),
    (pending) => fitting(pending, MAX_RUNS, MAX_BYTES, (p) => p.state.runLogBytes),
  );

  private readonly prisma: Prisma;
  private readonly workerId: string;
  constructor(
    prisma: Prisma,
    workerId: string,
  ) {
    this.prisma = prisma;
    this.workerId = workerId;
  }

  /**
   * Stores the final state of run `id` if it is still this worker's (RUNNING, or ABANDONED by a
   * reaper that misjudged a slow heartbeat). False when it was not (purged, or taken over).
   */
  settle(id: number, state: FinalState): Promise<boolean> {
    return this.#writes.push({ id, state });
  }

  async #writeOrSplit(batch: readonly Pending[]): Promise<Array<boolean | Error>> {
    try {
      const stored = await this.#write(batch);
      return batch.map((p) => stored.has(p.id));
    } catch (error) {
      if (batch.length === 1) throw error;
      logger().warn({ err: error, runs: batch.length }, "storing several runs' final states failed; storing them one by one");
      const results: Array<boolean | Error> = [];
      for (const p of batch) results.push(await this.#write([p]).then((stored) => stored.has(p.id), (err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
      return results;
    }
  }

  /**
   * The handler has finished; losing its outcome to a database blip would leave the run RUNNING
   * until the abandoned-run sweep, and then ABANDONED though it succeeded. So a write that fails
   * because the database is away is retried with backoff for up to SETTLE_RETRY_MS (the update
   * also accepts an ABANDONED run of this worker, should the sweep get there first). Past that,
   * the run is left to the sweep: ABANDONED, and retryable.
   */
  async #write(batch: readonly Pending[]): Promise<Set<number>> {
    const since = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#update(batch);
      } catch (error) {
        if (!isConnectionError(error) || Date.now() - since > SETTLE_RETRY_MS) throw error;
        if (attempt === 0) {
          logger().warn({ error: describeConnectionError(error), runs: batch.map((p) => p.id) }, "storing runs' final states failed (database unreachable); retrying until it is back");
        }
        await sleep(backoffDelay(attempt, 250, 5_000));
      }
    }
  }

  async #update(batch: readonly Pending[]): Promise<Set<number>> {
    const col = <T>(f: (s: FinalState) => T) => batch.map((p) => f(p.state));
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`
      UPDATE job_logs AS l
      SET status = v.status::"JobStatus", message = v.message, message_code = v.message_code, message_params = v.message_params::jsonb, traceback = v.traceback, run_log = v.run_log,
          run_log_bytes = v.run_log_bytes, result = v.result::jsonb, finished_at = v.finished_at, heartbeat_at = v.finished_at
      FROM unnest(
        ${batch.map((p) => p.id)}::int[], ${col((s) => s.status)}::text[], ${col((s) => s.message)}::text[],
        ${col((s) => s.messageCode)}::text[], ${col((s) => JSON.stringify(s.messageParams))}::text[],
        ${col((s) => s.traceback)}::text[], ${col((s) => s.runLog)}::text[], ${col((s) => s.runLogBytes)}::int[],
        ${col((s) => (s.result === null ? null : JSON.stringify(s.result)))}::text[], ${col((s) => s.finishedAt.toISOString())}::timestamptz[]
      ) AS v(id, status, message, message_code, message_params, traceback, run_log, run_log_bytes, result, finished_at)
      WHERE l.id = v.id AND l.worker_id = ${this.workerId} AND l.status IN ('RUNNING', 'ABANDONED')
      RETURNING l.id`;
    return new Set(rows.map((r) => r.id));
  }
}

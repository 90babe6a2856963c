import pg from "pg";

/**
 * Per-job mutual exclusion across every process, for the overlap decision: "is a run of this job
 * QUEUED or RUNNING?" and "enqueue one" must not interleave with another slot of the same job.
 *
 * A transaction-scoped PostgreSQL advisory lock, held on a connection from this small pool of its
 * own while the enqueue runs on Prisma's pool and commits. Separate pools so a holder never waits
 * for a connection that another holder has (no pool deadlock under a burst of fires).
 */
export class JobLocks {
  readonly #pool: pg.Pool;

  constructor(databaseUrl: string, size = 4) {
    this.#pool = new pg.Pool({ connectionString: databaseUrl, max: size });
    // An idle client's error (server restart) must not crash the process; the next checkout reconnects.
    this.#pool.on("error", () => undefined);
  }

  async withLock<T>(jobId: string, fn: () => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock(hashtext('connecthub.job:' || $1))", [jobId]);
      const result = await fn();
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

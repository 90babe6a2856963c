import pg from "pg";
import { describeConnectionError } from "../db/connection-errors.ts";
import { logger } from "../logging/logger.ts";

const LEASE_KEY = "connecthub.scheduler.planner";

/**
 * One planner at a time across the cluster: a session-level PostgreSQL advisory lock on a
 * connection of its own. It is released by the server the moment that connection ends, so a killed
 * planner hands over without a timeout. Correctness never depends on it (the FireRecord key does);
 * it only keeps two planners from putting every fire job on the queue twice.
 */
export class PlannerLease {
  #client: pg.Client | null = null;
  #held = false;

  private readonly databaseUrl: string;
  constructor(databaseUrl: string) {
    this.databaseUrl = databaseUrl;
  }

  get held(): boolean {
    return this.#held;
  }

  /** Tries to take the lease (or confirms it is still held); never throws. */
  async acquire(): Promise<boolean> {
    try {
      if (this.#held && this.#client) {
        // Confirm the session (and so the lock) is still there: a connection cut while idle may
        // not have told us yet, and another process may already plan. Re-taken below if lost.
        await this.#client.query("SELECT 1");
        return true;
      }

      if (!this.#client) {
        const client = new pg.Client({ connectionString: this.databaseUrl });
        // Errors and the end of the session mean the lock is gone (the server released it). Only
        // the current session's: a dead one's late events must not drop its successor.
        client.on("error", (err) => this.#client === client && this.#lost(err));
        client.on("end", () => this.#client === client && this.#lost());
        await client.connect().catch((error: unknown) => {
          client.end().catch(() => undefined);
          throw error;
        });
        this.#client = client;
      }
      const { rows } = await this.#client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [LEASE_KEY]);
      this.#held = rows[0]?.ok === true;
      if (this.#held) logger().info("this process now plans the schedule (planner lease taken)");
    } catch (err) {
      this.#lost(err);
    }
    return this.#held;
  }

  #lost(err?: unknown): void {
    if (this.#held) logger().warn({ error: err ? describeConnectionError(err) : "session ended" }, "planner lease lost (its database session ended); re-taken when the database answers, or another process plans");
    this.#held = false;
    const client = this.#client;
    this.#client = null;
    client?.end().catch(() => undefined);
  }

  async release(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    this.#held = false;
    if (client) await client.end().catch(() => undefined);
  }
}

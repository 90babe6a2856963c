import pg from "pg";
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
    if (this.#held) return true;
    try {
      if (!this.#client) {
        const client = new pg.Client({ connectionString: this.databaseUrl });
        client.on("error", (err) => this.#lost(err));
        client.on("end", () => this.#lost());
        await client.connect();
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
    if (this.#held) logger().warn({ err }, "planner lease lost; another process will plan");
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

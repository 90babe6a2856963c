import pg from "pg";
import { logger } from "../logging/logger.ts";
import { describeConnectionError } from "./connection-errors.ts";

/**
 * A pg Pool whose idle connections may die (a failover, a restart, pg_terminate_backend) without
 * taking the process down: pg emits `error` on the pool for an idle client that breaks, and an
 * EventEmitter with no `error` listener throws. The broken client is already removed from the pool
 * by then; the next query opens a new connection, so logging is all there is to do.
 */
export function createPgPool(url: string, name: string, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, ...options });
  let lastLogged = 0;
  pool.on("error", (err) => {
    // One line per outage, not one per pooled connection.
    if (Date.now() - lastLogged < 5_000) return;
    lastLogged = Date.now();
    logger().warn({ pool: name, error: describeConnectionError(err) }, `database connection of the ${name} pool lost; it reconnects on next use`);
  });
  return pool;
}

import type { Config } from "./config/config.ts";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./db/embedded-postgres.ts";
import { logger } from "./logging/logger.ts";
import { markStartup } from "./startup-timings.ts";

/**
 * Starts the embedded PostgreSQL of `config.dataDir` as the server. Light to import on purpose
 * (pg, no Prisma, no GraphQL): process.ts calls it before loading the app, so PostgreSQL boots in
 * its own process while this one loads its modules.
 */
export function startEmbedded(config: Config, onSpawn?: () => void): Promise<EmbeddedPostgres> {
  const log = logger();
  return startEmbeddedPostgres(config.dataDir, { role: "server", notice: (message) => log.info(message), onSpawn }).then((embedded) => {
    log.info({ dataDir: config.dataDir }, "embedded PostgreSQL started");
    markStartup("database");
    return embedded;
  });
}

import type { Config } from "../config/config.ts";
import { DataDirLockedError } from "../db/db-errors.ts";
import { startEmbeddedPostgres } from "../db/embedded-postgres.ts";
import { migrate } from "../db/migrator.ts";
import { EmbeddedDatabaseBusyError } from "./operation-errors.ts";

/** The application database opened by a one-shot command, without the rest of the runtime. */
export interface DatabaseSession {
  url: string;
  embedded: boolean;
  /** Migrations this session applied (empty when asked not to migrate). */
  applied: string[];
  close(): Promise<void>;
}

/**
 * Opens DATABASE_URL, or the embedded PGlite under DATA_DIR (which only one process may hold:
 * the error tells the operator to stop the server). Migrates unless `migrateSchema` is false.
 */
export async function openDatabase(config: Config, command: string, migrateSchema = true): Promise<DatabaseSession> {
  if (config.DATABASE_URL) {
    const applied = migrateSchema ? await migrate(config.DATABASE_URL) : [];
    return { url: config.DATABASE_URL, embedded: false, applied, close: async () => undefined };
  }
  let embedded;
  try {
    embedded = await startEmbeddedPostgres(config.dataDir);
  } catch (error) {
    if (error instanceof DataDirLockedError) throw new EmbeddedDatabaseBusyError(error.dir, error.pid, command);
    throw error;
  }
  try {
    const applied = migrateSchema ? await migrate(embedded.url) : [];
    return { url: embedded.url, embedded: true, applied, close: () => embedded.stop() };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

import type { Config } from "../config/config.ts";
import { embeddedOwner, openEmbeddedPostgres } from "../db/embedded-postgres.ts";
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

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrateSchema?: boolean;
  /** Refuse while a server owns the embedded database (restore replaces everything under it). */
  exclusive?: boolean;
}

/**
 * Opens DATABASE_URL, or the embedded PostgreSQL under DATA_DIR: the running server's when one
 * runs (the command works beside it), else started for this command and stopped by close().
 */
export async function openDatabase(config: Config, command: string, options: OpenOptions = {}): Promise<DatabaseSession> {
  const { migrateSchema = true, exclusive = false } = options;
  if (config.DATABASE_URL) {
    const applied = migrateSchema ? await migrate(config.DATABASE_URL) : [];
    return { url: config.DATABASE_URL, embedded: false, applied, close: async () => undefined };
  }
  const owner = exclusive ? embeddedOwner(config.dataDir) : null;
  if (owner) throw new EmbeddedDatabaseBusyError(config.dataDir, owner.pid, command, owner.role);
  const embedded = await openEmbeddedPostgres(config.dataDir, {
    role: command,
    notice: (message) => process.stderr.write(`connecthub: ${message}\n`),
  });
  if (exclusive && embedded.ownerPid !== process.pid) {
    await embedded.stop();
    throw new EmbeddedDatabaseBusyError(config.dataDir, embedded.ownerPid, command);
  }
  try {
    const applied = migrateSchema ? await migrate(embedded.url) : [];
    return { url: embedded.url, embedded: true, applied, close: () => embedded.stop() };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

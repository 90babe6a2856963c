import pg from "pg";
import { readKeyFile } from "../security/key-file.ts";
import { createBackupWriter, BACKUP_FORMAT, BACKUP_VERSION } from "./backup-format.ts";
import { appliedMigrations, BACKUP_TABLES, readRows } from "./backup-tables.ts";

export interface BackupOptions {
  databaseUrl: string;
  embedded: boolean;
  out: string;
  keyPath: string;
  /** False leaves the key out on purpose (kept elsewhere); the archive then cannot restore secrets alone. */
  includeKey: boolean;
  includeSessions: boolean;
}

export interface BackupResult {
  counts: Record<string, number>;
  keyIncluded: boolean;
  /** Why the key is missing from the archive, when it is. */
  keyProblem: string | null;
}

/**
 * A logical backup through the app's own connection (works for the embedded PostgreSQL 18 and any server version,
 * which Debian's pg_dump 15 does not). One REPEATABLE READ snapshot: consistent while the app runs.
 */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  let fernetKey: string | null = null;
  let keyProblem: string | null = options.includeKey ? null : "left out on request (--without-key)";
  if (options.includeKey) {
    try {
      fernetKey = await readKeyFile(options.keyPath);
    } catch (error) {
      keyProblem = (error as Error).message;
    }
  }
  const tables = BACKUP_TABLES.filter((t) => options.includeSessions || !t.optional);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const writer = createBackupWriter(options.out);
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await writer.header({
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      storageMode: options.embedded ? "embedded" : "server",
      migrations: await appliedMigrations(client),
      tables: tables.map((t) => t.name),
      fernetKey,
    });
    const counts: Record<string, number> = {};
    for (const table of tables) {
      let n = 0;
      for await (const json of readRows(client, table)) {
        await writer.row(table.name, json);
        n += 1;
      }
      counts[table.name] = n;
    }
    await client.query("COMMIT");
    await writer.finish(counts);
    return { counts, keyIncluded: fernetKey !== null, keyProblem };
  } catch (error) {
    await writer.abort();
    throw error;
  } finally {
    await client.end();
  }
}

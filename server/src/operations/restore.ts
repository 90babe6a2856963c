import pg from "pg";
import { readMigrations } from "../db/migrator.ts";
import { closeInFlightRuns } from "../runs/close-in-flight.ts";
import { runMessage } from "../runs/run-messages.ts";
import { openBackup } from "./backup-format.ts";
import { BACKUP_TABLES, countRows, insertRows, resetSequence, tableColumns } from "./backup-tables.ts";
import { installKey, planKeyInstall, readKeyIfPresent, type KeyAction } from "./key-install.ts";
import { ArchiveFormatError, BackupTooNewError, DatabaseNotEmptyError } from "./operation-errors.ts";
import { undecryptableJobIds } from "./secret-check.ts";

export interface RestoreOptions {
  /** A migrated database (openDatabase migrates it). */
  databaseUrl: string;
  file: string;
  keyPath: string;
  force: boolean;
}

export interface RestoreResult {
  counts: Record<string, number>;
  keyAction: KeyAction;
  keyInArchive: boolean;
  /** Where the replaced key file was kept, when one was replaced. */
  replacedKeyKeptAs: string | null;
  /** Runs that were QUEUED or RUNNING at backup time: their queue entries are gone, so they are closed. */
  abandonedRuns: number;
  /** Jobs whose secrets the key now in place cannot decrypt. */
  undecryptable: string[];
}

const BATCH_ROWS = 200;
const BATCH_CHARS = 4 * 1024 * 1024;

/**
 * Restores a `connecthub backup` archive in one transaction: all of it or nothing. Refuses a
 * database with data unless forced, and a key different from the current one unless forced.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { header, lines } = await openBackup(options.file);
  const known = new Set((await readMigrations()).map((m) => m.name));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length) throw new BackupTooNewError(unknown);

  const currentKey = await readKeyIfPresent(options.keyPath);
  const keyAction = planKeyInstall(header.fernetKey, currentKey, options.keyPath, options.force);

  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  let counts: Record<string, number> = {};
  let abandonedRuns = 0;
  let secrets: Array<{ id: string; secretCfg: string | null; webhookSecret: string | null }> = [];
  try {
    await client.query("BEGIN");
    const existing = await countRows(client, BACKUP_TABLES);
    if (Object.values(existing).some((n) => n > 0)) {
      if (!options.force) throw new DatabaseNotEmptyError(existing);
      await client.query(`TRUNCATE ${BACKUP_TABLES.map((t) => `"${t.name}"`).join(", ")} RESTART IDENTITY CASCADE`);
    }
    counts = await copyRows(client, options.file, header.tables, lines);
    for (const t of BACKUP_TABLES) if (t.serial) await resetSequence(client, t.name, t.serial);
    abandonedRuns = await closeInFlightRuns(client, runMessage("RUN_CLOSED_BY_RESTORE"));
    secrets = (await client.query(`SELECT id, secret_cfg AS "secretCfg", webhook_secret AS "webhookSecret" FROM jobs`)).rows;
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  const replacedKeyKeptAs = await installKey(options.keyPath, header.fernetKey ?? "", keyAction);
  const keyNow = keyAction === "keep" ? currentKey : header.fernetKey;
  return {
    counts,
    keyAction,
    keyInArchive: header.fernetKey !== null,
    replacedKeyKeptAs,
    abandonedRuns,
    undecryptable: undecryptableJobIds(secrets, keyNow),
  };
}

async function copyRows(client: pg.ClientBase, file: string, tables: string[], lines: AsyncGenerator<import("./backup-format.ts").BackupLine>) {
  const allowed = new Set(BACKUP_TABLES.map((t) => t.name));
  const columns = new Map<string, Set<string>>();
  const counts: Record<string, number> = Object.fromEntries(tables.map((t) => [t, 0]));
  let batch: Record<string, unknown>[] = [];
  let batchTable = "";
  let batchChars = 0;
  const flush = async () => {
    if (!batch.length) return;
    if (!columns.has(batchTable)) columns.set(batchTable, await tableColumns(client, batchTable));
    await insertRows(client, batchTable, columns.get(batchTable)!, batch);
    batch = [];
    batchChars = 0;
  };
  for await (const line of lines) {
    if ("end" in line) {
      await flush();
      for (const [t, n] of Object.entries(line.counts)) {
        if (counts[t] !== n) throw new ArchiveFormatError(file, `table ${t} has ${counts[t] ?? 0} rows but the backup recorded ${n}`);
      }
      return counts;
    }
    if (!allowed.has(line.t)) throw new ArchiveFormatError(file, `it holds rows of an unknown table "${line.t}"`);
    if (line.t !== batchTable || batch.length >= BATCH_ROWS || batchChars >= BATCH_CHARS) {
      await flush();
      batchTable = line.t;
    }
    batch.push(line.r);
    batchChars += JSON.stringify(line.r).length;
    counts[line.t] = (counts[line.t] ?? 0) + 1;
  }
  throw new ArchiveFormatError(file, "it ends before its last line (the backup was cut short); nothing was restored");
}

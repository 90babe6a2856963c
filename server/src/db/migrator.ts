// Our own migrator, kept on purpose: `prisma migrate` needs Prisma's schema-engine binary, which
// cannot be downloaded on our machines. It applies Prisma's own layout
// (prisma/migrations/<timestamp>_<name>/migration.sql) under an advisory lock with recorded
// checksums, and a test proves the migrated database matches schema.prisma.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { MigrationChecksumError, MigrationFailedError } from "./db-errors.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));
const HISTORY_TABLE = "_connecthub_migrations";
// Any constant works; it only has to be the same in every ConnectHub process.
const ADVISORY_LOCK_KEY = 0x0c0ffee;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so
 * processes starting together take turns. Returns the names applied by this call.
 */
export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  return withMigrationLock(databaseUrl, (client) => applyPending(client, migrations));
}

/**
 * Runs `fn` while holding the migrator's advisory lock, on the lock's connection: schema work of
 * any kind (ours, or a queue store's indexes) takes turns across every process starting at once.
 */
export async function withMigrationLock<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // A connection that breaks while idle emits `error`; the statement in flight fails on its own.
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    return await fn(client);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function applyPending(client: pg.Client, migrations: Migration[]): Promise<string[]> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS "${HISTORY_TABLE}" (
       name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
  const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${HISTORY_TABLE}"`);
  const applied = new Map(rows.map((r) => [r.name, r.checksum]));
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum !== undefined && checksum !== m.checksum) throw new MigrationChecksumError(m.name);
  }
  const done: string[] = [];
  for (const m of migrations.filter((m) => !applied.has(m.name))) {
    try {
      await client.query("BEGIN");
      await client.query(m.sql);
      await client.query(`INSERT INTO "${HISTORY_TABLE}" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw new MigrationFailedError(m.name, error);
    }
    done.push(m.name);
  }
  return done;
}

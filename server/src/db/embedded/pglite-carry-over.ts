import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { DataDirLockedError, PgliteCarryOverError } from "../db-errors.ts";
import { migrate } from "../migrator.ts";
import { isAlive } from "./owner-file.ts";

/** Reports a step to the operator (the server's log, or the CLI's stderr). */
export type Notice = (message: string) => void;

const MARKER_TABLE = "_connecthub_pglite_carry_over";
const SKIPPED = /^(_connecthub_|agenda)/; // our bookkeeping, and Agenda's queue (rebuilt by the planner)
const FETCH_ROWS = 200;

/**
 * Moves the data of the PGlite directory that earlier versions kept in `$DATA_DIR/pgdata` into the
 * embedded PostgreSQL, once, then renames the directory so it is never read again.
 *
 * Why rows and not pg_dump: no pg_dump ships with the embedded binaries, and `pglite-tools`'
 * dump is a schema+data script for the whole PGlite schema, which would collide with the target's
 * migrated schema. Instead the old database is first migrated to the current schema through
 * PGlite's socket (one client at a time, so its one session is safe), then every table's rows are
 * copied as PostgreSQL's own JSON of each row in one transaction; sequences move past the copied
 * ids. A marker row written in that transaction makes a crash before the rename harmless.
 */
export async function carryOverPglite(dataDir: string, targetUrl: string, notice: Notice): Promise<boolean> {
  const old = path.join(dataDir, "pgdata");
  if (!existsSync(path.join(old, "PG_VERSION"))) return false;
  refuseIfPgliteInUse(dataDir);
  notice(`Moving the embedded database from PGlite (${old}) to PostgreSQL (${path.join(dataDir, "embedded-postgres")}); this happens once.`);

  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const db = await PGlite.create({ dataDir: old });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 2 });
  let counts: Record<string, number> | null;
  try {
    await server.start();
    const sourceUrl = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    await migrate(sourceUrl);
    await migrate(targetUrl);
    counts = await copyAll(sourceUrl, targetUrl, old);
  } catch (error) {
    throw error instanceof PgliteCarryOverError ? error : new PgliteCarryOverError(old, (error as Error).message, error);
  } finally {
    await server.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
  }
  const keptAs = `${old}.moved-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(old, keptAs);
  rmSync(path.join(dataDir, "pgdata.pid"), { force: true });
  const summary = counts ? Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(", ") : "already copied before an interruption";
  notice(`Moved the PGlite database to PostgreSQL (${summary}). The old directory is kept as ${keptAs}; delete it once you are satisfied.`);
  return true;
}

/** An older ConnectHub still serving the PGlite directory would keep writing to it. */
function refuseIfPgliteInUse(dataDir: string): void {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "pgdata.pid"), "utf8"));
    if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(dataDir, pid);
  } catch (error) {
    if (error instanceof DataDirLockedError) throw error;
  }
}

/** Copies every table in one target transaction; null when an earlier run already committed it. */
async function copyAll(sourceUrl: string, targetUrl: string, old: string): Promise<Record<string, number> | null> {
  const source = new pg.Client({ connectionString: sourceUrl });
  const target = new pg.Client({ connectionString: targetUrl });
  await source.connect();
  await target.connect();
  try {
    await target.query("BEGIN");
    await target.query(`CREATE TABLE IF NOT EXISTS "${MARKER_TABLE}" (source TEXT NOT NULL, counts JSONB NOT NULL, carried_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    if ((await target.query(`SELECT 1 FROM "${MARKER_TABLE}"`)).rowCount) {
      await target.query("ROLLBACK");
      return null;
    }
    const tables = (await tableNames(source)).filter((t) => !SKIPPED.test(t));
    const targetTables = new Set(await tableNames(target));
    for (const t of tables.filter((t) => targetTables.has(t))) {
      if ((await target.query(`SELECT 1 FROM "${t}" LIMIT 1`)).rowCount) {
        throw new PgliteCarryOverError(old, `the new PostgreSQL database already holds rows in "${t}", so the PGlite data was not copied over it`);
      }
    }
    // Rows arrive table by table, not in foreign-key order: the superuser session skips FK triggers.
    await target.query("SET LOCAL session_replication_role = replica");
    await source.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const counts: Record<string, number> = {};
    for (const table of tables.filter((t) => targetTables.has(t))) counts[table] = await copyTable(source, target, table);
    await source.query("COMMIT");
    await moveSequences(target);
    await target.query(
      `UPDATE job_logs SET status = 'ABANDONED', finished_at = COALESCE(finished_at, now()),
         message = COALESCE(message || E'\\n', '') || 'Closed when the embedded database moved from PGlite to PostgreSQL: the run was in flight.'
       WHERE status IN ('QUEUED', 'RUNNING')`,
    );
    await target.query(`INSERT INTO "${MARKER_TABLE}" (source, counts) VALUES ($1, $2)`, [old, JSON.stringify(counts)]);
    await target.query("COMMIT");
    return counts;
  } catch (error) {
    await target.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await source.end().catch(() => undefined);
    await target.end().catch(() => undefined);
  }
}

async function tableNames(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.t);
}

async function columns(client: pg.Client, table: string): Promise<Set<string>> {
  const { rows } = await client.query<{ c: string }>(
    `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'`,
    [table],
  );
  return new Set(rows.map((r) => r.c));
}

async function copyTable(source: pg.Client, target: pg.Client, table: string): Promise<number> {
  const targetColumns = await columns(target, table);
  const shared = [...(await columns(source, table))].filter((c) => targetColumns.has(c));
  const list = shared.map((c) => `"${c}"`).join(", ");
  await source.query(`DECLARE carry NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM "${table}" t`);
  let copied = 0;
  for (;;) {
    const { rows } = await source.query<{ j: string }>(`FETCH ${FETCH_ROWS} FROM carry`);
    if (!rows.length) break;
    await target.query(
      `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`,
      [`[${rows.map((r) => r.j).join(",")}]`],
    );
    copied += rows.length;
  }
  await source.query("CLOSE carry");
  return copied;
}

/** Serial columns continue after the copied ids. */
async function moveSequences(target: pg.Client): Promise<void> {
  const { rows } = await target.query<{ t: string; c: string }>(
    `SELECT table_name AS t, column_name AS c FROM information_schema.columns
      WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`,
  );
  for (const { t, c } of rows) {
    await target.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), m) FROM (SELECT max("${c}") AS m FROM "${t}") x WHERE m IS NOT NULL`,
      [`"${t}"`, c],
    );
  }
}

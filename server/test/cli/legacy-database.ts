/**
 * Builds the Python ConnectHub's database for import tests: its tables from the layouts in
 * fixtures/legacy (written from the reference documents), rows as the original wrote them, and
 * secret tokens minted by Python's `cryptography` (python3), as the original minted them.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import pg from "pg";
import initSqlJs from "sql.js";

const FIXTURES = new URL("../fixtures/legacy/", import.meta.url);
export type LegacyLayout = "postgres-current" | "postgres-older" | "sqlite";

export interface LegacyJobRow {
  id: string;
  enabled: boolean | null;
  cron_expr: string;
  handler_path: string | null;
  public_cfg: string;
  secret_cfg: string | null;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface LegacyLogRow {
  id: number;
  job_id: string;
  status: string;
  snapshot_params: string | null;
  message: string | null;
  traceback: string | null;
  run_log: string | null;
  celery_task_id: string | null;
  attempt: number;
  started_at: string | null;
  finished_at: string | null;
  created_at?: string;
}

export function layoutSql(layout: LegacyLayout): string {
  return readFileSync(new URL(`layout-${layout}.sql`, FIXTURES), "utf8");
}

// Key and plaintexts go through stdin, never argv.
const PYTHON_ENCRYPT = `
import json, sys
from cryptography.fernet import Fernet
request = json.load(sys.stdin)
f = Fernet(request["key"])
sys.stdout.write(json.dumps([f.encrypt(json.dumps(p).encode("utf-8")).decode("ascii") for p in request["payloads"]]))
`;
const PYTHON_KEY = `from cryptography.fernet import Fernet; import sys; sys.stdout.write(Fernet.generate_key().decode("ascii"))`;

/** A key as the original's first start wrote it to /data/fernet.key. */
export function pythonKey(): string {
  return execFileSync(process.env.PYTHON ?? "python3", ["-c", PYTHON_KEY], { encoding: "utf8" });
}

/** secret_cfg tokens as the original's admin saved them: Fernet over the JSON text. */
export function pythonTokens(key: string, payloads: object[]): string[] {
  const out = execFileSync(process.env.PYTHON ?? "python3", ["-c", PYTHON_ENCRYPT], { input: JSON.stringify({ key, payloads }), encoding: "utf8" });
  return JSON.parse(out) as string[];
}

/**
 * Creates the tables of `layout` and inserts the rows (columns the layout lacks are left out).
 * JSON columns are given as JSON text, as SQLite stores them; here they are parsed first, or
 * json_populate_recordset would store each as one JSON string.
 */
export async function buildPostgresLegacy(url: string, layout: Exclude<LegacyLayout, "sqlite">, jobs: LegacyJobRow[], logs: LegacyLogRow[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(layoutSql(layout));
    await insert(client, "jobs", jobs.map((j) => ({ ...j, public_cfg: JSON.parse(j.public_cfg) as unknown })));
    await insert(client, "job_logs", logs.map((l) => ({ ...l, snapshot_params: l.snapshot_params === null ? null : (JSON.parse(l.snapshot_params) as unknown) })));
    await client.query(`SELECT setval('job_logs_id_seq', (SELECT COALESCE(max(id), 1) FROM job_logs))`);
  } finally {
    await client.end();
  }
}

async function insert(client: pg.Client, table: string, rows: object[]): Promise<void> {
  if (!rows.length) return;
  const { rows: cols } = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  const present = new Set(cols.map((c) => c.column_name));
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => present.has(k));
  const list = keys.map((k) => `"${k}"`).join(", ");
  for (let i = 0; i < rows.length; i += 1000) {
    await client.query(`INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`, [
      JSON.stringify(rows.slice(i, i + 1000)),
    ]);
  }
}

/** A SQLite file as SQLAlchemy wrote it: booleans 0/1, text timestamps, JSON as text. */
export async function buildSqliteLegacy(file: string, jobs: LegacyJobRow[], logs: LegacyLogRow[]): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    db.run(layoutSql("sqlite"));
    const sqliteValue = (v: unknown) => (typeof v === "boolean" ? (v ? 1 : 0) : (v ?? null)) as number | string | null;
    for (const [table, rows] of [["jobs", jobs], ["job_logs", logs]] as const) {
      for (const row of rows) {
        const entries = Object.entries(row);
        db.run(`INSERT INTO ${table} (${entries.map(([k]) => k).join(", ")}) VALUES (${entries.map(() => "?").join(", ")})`, entries.map(([, v]) => sqliteValue(v)));
      }
    }
    writeFileSync(file, db.export());
  } finally {
    db.close();
  }
}

/** One query on its own connection (the tests inspect source and target between CLI runs). */
export async function sql<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

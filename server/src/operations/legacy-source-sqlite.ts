/**
 * The original's SQLite file (its DB_URL before PostgreSQL: `sqlite:///…/connecthub.db`), read with
 * sql.js — SQLite compiled to WebAssembly, so nothing native is built and the file is only read
 * (loaded into memory; the original may keep running). SQLite types loosely: SQLAlchemy wrote
 * DateTime as text without a zone, Boolean as 0/1 and JSON as text; every value leaves here as
 * text and legacy-mapping.ts reads each of those forms.
 */
import { readFile } from "node:fs/promises";
import initSqlJs, { type Database, type SqlValue } from "sql.js";
import { LegacySchemaError, LegacySourceUrlError } from "./operation-errors.ts";
import {
  LEGACY_JOB_COLUMNS,
  LEGACY_LOG_COLUMNS,
  LEGACY_PAGE_ROWS,
  LEGACY_REQUIRED,
  LEGACY_TIMESTAMPS,
  type LegacyColumns,
  type LegacyRow,
  type LegacySource,
  type LegacyTable,
} from "./legacy-source.ts";

const SQLITE_HEADER = "SQLite format 3\u0000";

export async function openSqliteSource(file: string): Promise<LegacySource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new LegacySourceUrlError(file, `it cannot be read (${(error as Error).message})`);
  }
  if (bytes.subarray(0, 16).toString("latin1") !== SQLITE_HEADER) throw new LegacySourceUrlError(file, "it is not a SQLite database file");
  const SQL = await initSqlJs();
  const db = new SQL.Database(bytes);
  return {
    description: file,
    columns: async (table) => columnsOf(db, table),
    jobs: (columns) => readPages(db, "jobs", LEGACY_JOB_COLUMNS, columns),
    logIds: async () => all(db, `SELECT id FROM job_logs ORDER BY id`, []).map((r) => Number(r.id)),
    logs: (columns) => readPages(db, "job_logs", LEGACY_LOG_COLUMNS, columns),
    close: async () => db.close(),
  };
}

function columnsOf(db: Database, table: LegacyTable): LegacyColumns {
  const rows = all(db, `SELECT name, type FROM pragma_table_info(?)`, [table]);
  if (!rows.length) throw new LegacySchemaError(`it has no table "${table}"`);
  const present = new Set(rows.map((r) => r.name!));
  const missing = LEGACY_REQUIRED[table].filter((c) => !present.has(c));
  if (missing.length) throw new LegacySchemaError(`table "${table}" has no column ${missing.join(", ")}`);
  // SQLite has no zoned timestamp type: SQLAlchemy stored every DateTime as naive text.
  const naive = new Set(LEGACY_TIMESTAMPS[table].filter((c) => present.has(c)));
  return { present, naive };
}

async function* readPages(db: Database, table: LegacyTable, wanted: readonly string[], columns: LegacyColumns): AsyncGenerator<LegacyRow[]> {
  const list = wanted.map((c) => (columns.present.has(c) ? `"${c}"` : `NULL AS "${c}"`)).join(", ");
  let after: SqlValue = null;
  for (;;) {
    const rows = all(db, `SELECT ${list} FROM "${table}" WHERE ? IS NULL OR id > ? ORDER BY id LIMIT ${LEGACY_PAGE_ROWS}`, [after, after]);
    if (!rows.length) return;
    yield rows;
    const last = rows[rows.length - 1]!.id!;
    after = table === "job_logs" ? Number(last) : last;
    if (rows.length < LEGACY_PAGE_ROWS) return;
  }
}

function all(db: Database, sql: string, params: SqlValue[]): LegacyRow[] {
  const statement = db.prepare(sql);
  try {
    statement.bind(params);
    const rows: LegacyRow[] = [];
    while (statement.step()) {
      const raw = statement.getAsObject();
      const row: LegacyRow = {};
      for (const [k, v] of Object.entries(raw)) row[k] = asText(v);
      rows.push(row);
    }
    return rows;
  } finally {
    statement.free();
  }
}

function asText(value: SqlValue): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  return String(value);
}

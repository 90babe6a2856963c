/**
 * Reads the Python ConnectHub's tables (SQLAlchemy models Job / JobLog). Columns are looked up
 * first, so older and newer layouts of the original both work; only jobs.id, jobs.handler_path
 * and job_logs.id/job_id/status are required. Timestamps come out as text, never parsed by the
 * driver, so naive ones can be interpreted in the zone the original meant.
 */
import type pg from "pg";
import { LegacySchemaError } from "./operation-errors.ts";

export interface LegacyColumns {
  present: Set<string>;
  /** Timestamp columns stored without a time zone. */
  naive: Set<string>;
}

export const LEGACY_JOB_COLUMNS = ["id", "enabled", "cron_expr", "handler_path", "public_cfg", "secret_cfg", "last_run_at", "created_at"] as const;
export const LEGACY_LOG_COLUMNS = [
  "id", "job_id", "status", "snapshot_params", "message", "traceback", "run_log", "celery_task_id", "attempt", "started_at", "finished_at", "created_at",
] as const;
const REQUIRED: Record<string, string[]> = { jobs: ["id", "handler_path"], job_logs: ["id", "job_id", "status"] };
const TIMESTAMP_TYPES = new Set(["timestamp without time zone", "timestamp with time zone"]);

export type LegacyRow = Record<string, string | null>;

export async function legacyColumns(client: pg.ClientBase, table: "jobs" | "job_logs"): Promise<LegacyColumns> {
  const { rows } = await client.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  if (!rows.length) throw new LegacySchemaError(`it has no table "${table}"`);
  const present = new Set(rows.map((r) => r.column_name));
  const missing = REQUIRED[table]!.filter((c) => !present.has(c));
  if (missing.length) throw new LegacySchemaError(`table "${table}" has no column ${missing.join(", ")}`);
  const naive = new Set(rows.filter((r) => r.data_type === "timestamp without time zone").map((r) => r.column_name));
  for (const r of rows) if (!TIMESTAMP_TYPES.has(r.data_type)) naive.delete(r.column_name);
  return { present, naive };
}

/** Every wanted column as text (NULL when the column does not exist); timestamps in ISO form. */
function selectList(wanted: readonly string[], columns: LegacyColumns, timestamps: readonly string[]): string {
  return wanted
    .map((c) => {
      if (!columns.present.has(c)) return `NULL::text AS "${c}"`;
      if (timestamps.includes(c)) return `to_json("${c}") #>> '{}' AS "${c}"`;
      return `"${c}"::text AS "${c}"`;
    })
    .join(", ");
}

export async function readLegacyJobs(client: pg.ClientBase, columns: LegacyColumns): Promise<LegacyRow[]> {
  const list = selectList(LEGACY_JOB_COLUMNS, columns, ["last_run_at", "created_at"]);
  return (await client.query<LegacyRow>(`SELECT ${list} FROM jobs ORDER BY id`)).rows;
}

export async function readLegacyLogIds(client: pg.ClientBase): Promise<number[]> {
  return (await client.query<{ id: number }>(`SELECT id FROM job_logs ORDER BY id`)).rows.map((r) => Number(r.id));
}

const PAGE_ROWS = 200;

/** Logs in id order, a page at a time: run logs can be large. */
export async function* readLegacyLogs(client: pg.ClientBase, columns: LegacyColumns): AsyncGenerator<LegacyRow[]> {
  const list = selectList(LEGACY_LOG_COLUMNS, columns, ["started_at", "finished_at", "created_at"]);
  let after = -Infinity;
  for (;;) {
    const { rows } = await client.query<LegacyRow>(
      `SELECT ${list} FROM job_logs WHERE id > $1 ORDER BY id LIMIT ${PAGE_ROWS}`,
      [Number.isFinite(after) ? after : -2147483648],
    );
    if (!rows.length) return;
    yield rows;
    after = Number(rows[rows.length - 1]!.id);
  }
}

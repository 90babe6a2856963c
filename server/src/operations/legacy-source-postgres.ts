/** The original's PostgreSQL database, read in one REPEATABLE READ snapshot. */
import pg from "pg";
import { LegacySchemaError } from "./operation-errors.ts";
import {
  LEGACY_JOB_COLUMNS,
  LEGACY_LOG_COLUMNS,
  LEGACY_PAGE_ROWS,
  LEGACY_REQUIRED,
  LEGACY_TIMESTAMPS,
  withoutPassword,
  type LegacyColumns,
  type LegacyRow,
  type LegacySource,
  type LegacyTable,
} from "./legacy-source.ts";

const TIMESTAMP_TYPES = new Set(["timestamp without time zone", "timestamp with time zone"]);

export async function openPostgresSource(url: string): Promise<LegacySource> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined); // a dropped connection surfaces as the failing query's error
  await client.connect();
  // One snapshot of the source, even if the original system is still writing.
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  return {
    description: withoutPassword(url),
    columns: (table) => columnsOf(client, table),
    jobs: (columns) => readJobs(client, columns),
    logIds: async () => (await client.query<{ id: string }>(`SELECT id::text AS id FROM job_logs ORDER BY job_logs.id`)).rows.map((r) => Number(r.id)),
    logs: (columns) => readLogs(client, columns),
    close: async () => {
      await client.query("ROLLBACK").catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

async function columnsOf(client: pg.Client, table: LegacyTable): Promise<LegacyColumns> {
  const { rows } = await client.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  if (!rows.length) throw new LegacySchemaError(`it has no table "${table}"`);
  const present = new Set(rows.map((r) => r.column_name));
  const missing = LEGACY_REQUIRED[table].filter((c) => !present.has(c));
  if (missing.length) throw new LegacySchemaError(`table "${table}" has no column ${missing.join(", ")}`);
  const naive = new Set(rows.filter((r) => r.data_type === "timestamp without time zone").map((r) => r.column_name));
  for (const r of rows) if (!TIMESTAMP_TYPES.has(r.data_type)) naive.delete(r.column_name);
  return { present, naive };
}

/**
 * Every wanted column as text under its own name (NULL when the table lacks it), timestamps in
 * ISO form with full precision. Columns are qualified with `t.` so that ORDER BY and WHERE use the
 * table's typed column, not the text output column of the same name.
 */
function selectList(wanted: readonly string[], columns: LegacyColumns, timestamps: readonly string[]): string {
  return wanted
    .map((c) => {
      if (!columns.present.has(c)) return `NULL::text AS "${c}"`;
      if (timestamps.includes(c)) return `to_json(t."${c}") #>> '{}' AS "${c}"`;
      return `t."${c}"::text AS "${c}"`;
    })
    .join(", ");
}

async function* readJobs(client: pg.Client, columns: LegacyColumns): AsyncGenerator<LegacyRow[]> {
  const list = selectList(LEGACY_JOB_COLUMNS, columns, LEGACY_TIMESTAMPS.jobs);
  let after: string | null = null;
  for (;;) {
    // COLLATE "C": byte order, the same on every server whatever its locale.
    const { rows }: { rows: LegacyRow[] } = await client.query<LegacyRow>(
      `SELECT ${list} FROM jobs t WHERE $1::text IS NULL OR t.id::text COLLATE "C" > $1::text COLLATE "C"
       ORDER BY t.id::text COLLATE "C" LIMIT ${LEGACY_PAGE_ROWS}`,
      [after],
    );
    if (!rows.length) return;
    yield rows;
    after = rows[rows.length - 1]!.id!;
    if (rows.length < LEGACY_PAGE_ROWS) return;
  }
}

async function* readLogs(client: pg.Client, columns: LegacyColumns): AsyncGenerator<LegacyRow[]> {
  const list = selectList(LEGACY_LOG_COLUMNS, columns, LEGACY_TIMESTAMPS.job_logs);
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: LegacyRow[] } = await client.query<LegacyRow>(
      `SELECT ${list} FROM job_logs t WHERE $1::bigint IS NULL OR t.id > $1::bigint ORDER BY t.id LIMIT ${LEGACY_PAGE_ROWS}`,
      [after],
    );
    if (!rows.length) return;
    yield rows;
    after = rows[rows.length - 1]!.id!;
    if (rows.length < LEGACY_PAGE_ROWS) return;
  }
}

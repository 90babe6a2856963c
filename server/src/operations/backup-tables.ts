import type pg from "pg";

/** A table a backup carries, in restore order (parents before children). */
export interface BackupTable {
  name: string;
  /** Deterministic order; job_logs by id so a retry's original is inserted before it. */
  orderBy: string;
  /** Serial column whose sequence is moved past the restored ids. */
  serial?: string;
  /** Only with `--sessions`: logins are cheap to redo and sessions expire anyway. */
  optional?: boolean;
}

export const BACKUP_TABLES: readonly BackupTable[] = [
  { name: "users", orderBy: "id", serial: "id" },
  { name: "jobs", orderBy: "id" },
  { name: "job_logs", orderBy: "id", serial: "id" },
  { name: "fire_records", orderBy: "job_id, scheduled_at" },
  { name: "api_tokens", orderBy: "id", serial: "id" },
  { name: "sessions", orderBy: "id", optional: true },
];

const PAGE_ROWS = 500;

/** Yields each row as the JSON text PostgreSQL itself produces (exact types: timestamptz, json, enums). */
export async function* readRows(client: pg.ClientBase, table: BackupTable): AsyncGenerator<string> {
  for (let offset = 0; ; offset += PAGE_ROWS) {
    const { rows } = await client.query<{ j: string }>(
      `SELECT row_to_json(t)::text AS j FROM "${table.name}" t ORDER BY ${table.orderBy} LIMIT ${PAGE_ROWS} OFFSET ${offset}`,
    );
    for (const row of rows) yield row.j;
    if (rows.length < PAGE_ROWS) return;
  }
}

export async function tableColumns(client: pg.ClientBase, table: string): Promise<Set<string>> {
  const { rows } = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  return new Set(rows.map((r) => r.column_name));
}

/**
 * Inserts rows given as JSON objects. Only columns present in the rows are named, so columns a
 * newer schema added take their defaults; PostgreSQL converts every value back to its type.
 */
export async function insertRows(client: pg.ClientBase, table: string, columns: Set<string>, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const present = Object.keys(rows[0]!).filter((c) => columns.has(c));
  const list = present.map((c) => `"${c}"`).join(", ");
  await client.query(
    `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`,
    [JSON.stringify(rows)],
  );
}

export async function countRows(client: pg.ClientBase, tables: readonly BackupTable[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t.name}"`);
    counts[t.name] = Number(rows[0]!.n);
  }
  return counts;
}

/** Moves a serial's sequence past the highest restored id, so new rows do not collide. */
export async function resetSequence(client: pg.ClientBase, table: string, column: string): Promise<void> {
  await client.query(
    `SELECT setval(pg_get_serial_sequence('"${table}"', '${column}'), COALESCE(MAX("${column}"), 1), MAX("${column}") IS NOT NULL) FROM "${table}"`,
  );
}

export async function appliedMigrations(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM "_connecthub_migrations" ORDER BY name`);
  return rows.map((r) => r.name);
}

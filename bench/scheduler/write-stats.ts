// Writes per run on PostgreSQL: row inserts/updates/deletes per table (pg_stat_user_tables deltas)
// and WAL bytes (pg_current_wal_lsn() difference) over a measured phase.
import pg from "pg";

export interface TableWrites {
  ins: number;
  upd: number;
  hot: number;
  del: number;
}

export interface WriteSnapshot {
  lsn: string;
  tables: Map<string, TableWrites>;
}

/**
 * Other sessions flush their table statistics at most once a second while busy and within 10 s of
 * going idle (PostgreSQL 15+), so a snapshot waits this long first: what was written before it is
 * counted in it.
 */
const STATS_FLUSH_MS = 11_000;

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The WAL position now (cluster-wide: other databases' writes count too; use a private cluster for clean numbers). */
export async function walLsn(url: string): Promise<string> {
  return (await query<{ lsn: string }>(url, "SELECT pg_current_wal_lsn()::text AS lsn"))[0]!.lsn;
}

/** Table counters once every session's writes so far are flushed, and the WAL position `lsn` (read by the caller when the phase ended). */
export async function tableWrites(url: string): Promise<Map<string, TableWrites>> {
  await new Promise((r) => setTimeout(r, STATS_FLUSH_MS));
  const rows = await query<{ relname: string; ins: string; upd: string; hot: string; del: string }>(
    url,
    "SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_hot_upd AS hot, n_tup_del AS del FROM pg_stat_user_tables",
  );
  return new Map(rows.map((r) => [r.relname, { ins: Number(r.ins), upd: Number(r.upd), hot: Number(r.hot), del: Number(r.del) }]));
}

/** Starts a measured phase: waits for earlier writes to be counted, then notes the counters and the WAL position. */
export async function startWrites(url: string): Promise<WriteSnapshot> {
  const tables = await tableWrites(url);
  return { tables, lsn: await walLsn(url) };
}

export interface WritesPerRun {
  tables: Array<[string, TableWrites]>;
  total: TableWrites;
  walBytes: number;
  /** WAL bytes per run by relation (table or index; a record counts for the first block it touches) or record kind, biggest first; empty without pg_walinspect. */
  walBy: Array<[string, number]>;
}

/**
 * Where the phase's WAL went (pg_walinspect, PostgreSQL 15+; a superuser creates it in the scratch
 * database): bytes by relation, or by resource manager for records that touch no block (commits).
 */
async function walByRelation(url: string, startLsn: string, endLsn: string): Promise<Array<[string, number]>> {
  try {
    await query(url, "CREATE EXTENSION IF NOT EXISTS pg_walinspect");
    const rows = await query<{ what: string; bytes: string }>(
      url,
      `WITH recs AS (
         SELECT resource_manager, record_length,
           substring(block_ref FROM 'rel \\d+/(\\d+)/')::oid AS dboid, substring(block_ref FROM 'rel \\d+/\\d+/(\\d+)')::oid AS filenode
         FROM pg_get_wal_records_info('${startLsn}', '${endLsn}'))
       SELECT CASE WHEN r.dboid IS NULL THEN '(' || r.resource_manager || ')'
                   WHEN r.dboid <> (SELECT oid FROM pg_database WHERE datname = current_database()) THEN '(other databases)'
                   ELSE coalesce(c.relname, '(' || r.resource_manager || ' on a dropped or system relation)') END AS what,
              sum(r.record_length) AS bytes
       FROM recs AS r LEFT JOIN pg_class AS c ON c.relfilenode = r.filenode
       GROUP BY 1 ORDER BY 2 DESC`,
    );
    return rows.map((r) => [r.what, Number(r.bytes)]);
  } catch {
    return [];
  }
}

/** Ends a phase of `runs` runs: `endLsn` read the moment the last run ended; the counters once flushed. */
export async function writesPerRun(url: string, start: WriteSnapshot, endLsn: string, runs: number): Promise<WritesPerRun> {
  const end = await tableWrites(url);
  const walBytes = Number((await query<{ bytes: string }>(url, `SELECT pg_wal_lsn_diff('${endLsn}', '${start.lsn}') AS bytes`))[0]!.bytes);
  const tables: Array<[string, TableWrites]> = [];
  const total: TableWrites = { ins: 0, upd: 0, hot: 0, del: 0 };
  for (const [name, after] of end) {
    const before = start.tables.get(name) ?? { ins: 0, upd: 0, hot: 0, del: 0 };
    const d = { ins: after.ins - before.ins, upd: after.upd - before.upd, hot: after.hot - before.hot, del: after.del - before.del };
    if (d.ins + d.upd + d.del === 0) continue;
    const per = { ins: d.ins / runs, upd: d.upd / runs, hot: d.hot / runs, del: d.del / runs };
    tables.push([name, per]);
    for (const k of ["ins", "upd", "hot", "del"] as const) total[k] += per[k];
  }
  tables.sort((a, b) => a[0].localeCompare(b[0]));
  const walBy = (await walByRelation(url, start.lsn, endLsn)).map(([what, bytes]): [string, number] => [what, bytes / runs]);
  return { tables, total, walBytes: walBytes / runs, walBy };
}

const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** One line: per table ins / upd (HOT) / del per run, the total, and WAL bytes per run. */
export function describeWrites(w: WritesPerRun): string {
  const parts = w.tables.map(([name, t]) => `${name} ${f(t.ins)} / ${f(t.upd)} (${f(t.hot)} HOT) / ${f(t.del)}`);
  const wal = w.walBy.length ? `; WAL by relation: ${w.walBy.filter(([, b]) => b >= 20).map(([what, b]) => `${what} ${Math.round(b)}`).join(", ")}` : "";
  return `total ${f(w.total.ins)} / ${f(w.total.upd)} / ${f(w.total.del)} (ins / upd / del per run), WAL ${Math.round(w.walBytes).toLocaleString("en")} B per run; ${parts.join("; ")}${wal}`;
}

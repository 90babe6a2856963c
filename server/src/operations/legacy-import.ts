/**
 * Copies the Python ConnectHub's jobs and job logs into this database in one transaction: a
 * collision, a refused key, --strict with bad rows, or any error leaves nothing written. The
 * source is read in keyset pages; the key is checked against every job's token before anything
 * is written; each row is mapped on its own, so one bad row is named and skipped, never fatal.
 */
import pg from "pg";
import { resetSequence } from "./backup-tables.ts";
import { installKey, planKeyInstall } from "./key-install.ts";
import { checkLegacyTokens } from "./legacy-keys.ts";
import { mapLegacyJob, mapLegacyLog, TARGET_JOB_COLUMNS, TARGET_LOG_COLUMNS, type MappedJob, type MappedLog } from "./legacy-mapping.ts";
import { emptyReport, type LegacyReport } from "./legacy-report.ts";
import type { LegacyLocation, LegacySource } from "./legacy-source.ts";
import { openPostgresSource } from "./legacy-source-postgres.ts";
import { openSqliteSource } from "./legacy-source-sqlite.ts";
import { LegacyBadRowsError, LegacyConflictError, LegacyKeyConflictError, LegacyKeyError } from "./operation-errors.ts";
import { undecryptableJobIds } from "./secret-check.ts";

export interface LegacyImportOptions {
  from: LegacyLocation;
  /** A migrated ConnectHub database. */
  targetUrl: string;
  /** Zone in which the original's naive timestamps are read (it ran on Asia/Shanghai). */
  zone: string;
  /** This installation's key file and the key in it (null when there is none yet). */
  keyPath: string;
  currentKey: string | null;
  /** The original's key (--key-file): checked instead of the current one, installed after the import. */
  keyFromFile: string | null;
  dryRun: boolean;
  strict: boolean;
  allowUndecryptable: boolean;
  renumberLogs: boolean;
  /** Now, injectable for tests. */
  now?: Date;
}

export function openLegacySource(location: LegacyLocation): Promise<LegacySource> {
  return location.kind === "postgresql" ? openPostgresSource(location.url) : openSqliteSource(location.file);
}

export async function importLegacy(options: LegacyImportOptions): Promise<LegacyReport> {
  const source = await openLegacySource(options.from);
  const target = new pg.Client({ connectionString: options.targetUrl });
  target.on("error", () => undefined);
  try {
    const now = options.now ?? new Date();
    const report = emptyReport(source.description, options.zone);
    const jobColumns = await source.columns("jobs");
    const logColumns = await source.columns("job_logs");
    report.naiveColumns = [...[...jobColumns.naive].map((c) => `jobs.${c}`), ...[...logColumns.naive].map((c) => `job_logs.${c}`)];

    const jobs: MappedJob[] = [];
    for await (const page of source.jobs(jobColumns)) {
      for (const row of page) {
        const job = mapLegacyJob(row, options.zone, now, report);
        if (job) jobs.push(job);
      }
    }
    checkKey(jobs, options, report);

    await target.connect();
    await target.query("BEGIN");
    try {
      await refuseKeyConflict(target, options);
      const renumber = await planLogIds(target, source, jobs, options.renumberLogs);
      report.renumberOffset = options.renumberLogs ? renumber : null;
      await insertMapped(target, "jobs", TARGET_JOB_COLUMNS, jobs);
      report.jobs = jobs.length;
      await importLogs(target, source, logColumns, jobs, renumber, options, now, report);
      await resetSequence(target, "job_logs", "id");
      if (options.strict && report.badRows.length) throw new LegacyBadRowsError(report.badRows);
      await target.query(options.dryRun ? "ROLLBACK" : "COMMIT");
    } catch (error) {
      await target.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
    if (options.keyFromFile && !options.dryRun) {
      const action = planKeyInstall(options.keyFromFile, options.currentKey, options.keyPath, true);
      report.keyReplacedKeptAs = await installKey(options.keyPath, options.keyFromFile, action);
      report.keyInstalledAt = action === "keep" ? null : options.keyPath;
    }
    return report;
  } finally {
    await source.close();
    await target.end().catch(() => undefined);
  }
}

/** Up front, before the target is touched: the key must decrypt every well-formed token. */
function checkKey(jobs: readonly MappedJob[], options: LegacyImportOptions, report: LegacyReport): void {
  const key = options.keyFromFile ?? options.currentKey;
  const verdicts = checkLegacyTokens(jobs.map((j) => ({ id: j.id as string, secretCfg: j.secret_cfg as string | null })), key);
  report.truncatedSecrets = verdicts.truncated;
  report.malformedSecrets = verdicts.malformed;
  report.undecryptable = verdicts.undecryptable;
  if (verdicts.undecryptable.length && !options.allowUndecryptable) {
    throw new LegacyKeyError(verdicts.undecryptable, options.keyFromFile ? "--key-file" : key ? options.keyPath : null);
  }
}

/** --key-file may replace the key file only if no secret here depends on the key in it. */
async function refuseKeyConflict(target: pg.Client, options: LegacyImportOptions): Promise<void> {
  if (!options.keyFromFile || !options.currentKey || options.keyFromFile === options.currentKey) return;
  const { rows } = await target.query(`SELECT id, secret_cfg AS "secretCfg", webhook_secret AS "webhookSecret" FROM jobs WHERE secret_cfg IS NOT NULL OR webhook_secret IS NOT NULL`);
  const broken = undecryptableJobIds(rows, options.keyFromFile);
  if (broken.length) throw new LegacyKeyConflictError(options.keyPath, broken);
}

/**
 * Refuses job ids already here, and log ids already here unless renumbering. Returns the offset
 * added to every legacy log id: 0, or the highest id here with --renumber-logs (order and gaps kept).
 */
async function planLogIds(target: pg.Client, source: LegacySource, jobs: readonly MappedJob[], renumber: boolean): Promise<number> {
  const ids = jobs.map((j) => j.id as string);
  const takenJobs = (await target.query<{ id: string }>(`SELECT id FROM jobs WHERE id = ANY($1::text[]) ORDER BY id`, [ids])).rows.map((r) => r.id);
  if (renumber) {
    if (takenJobs.length) throw new LegacyConflictError(takenJobs, []);
    const { rows } = await target.query<{ max: number | null }>(`SELECT max(id) AS max FROM job_logs`);
    return rows[0]!.max ?? 0;
  }
  const logIds = await source.logIds();
  const takenLogs = (await target.query<{ id: number }>(`SELECT id FROM job_logs WHERE id = ANY($1::int[]) ORDER BY id`, [logIds])).rows.map((r) => r.id);
  if (takenJobs.length || takenLogs.length) throw new LegacyConflictError(takenJobs, takenLogs);
  return 0;
}

async function importLogs(
  target: pg.Client,
  source: LegacySource,
  logColumns: Awaited<ReturnType<LegacySource["columns"]>>,
  jobs: readonly MappedJob[],
  offset: number,
  options: LegacyImportOptions,
  now: Date,
  report: LegacyReport,
): Promise<void> {
  const jobLastRunAt = new Map(jobs.map((j) => [j.id as string, j.last_run_at as string | null]));
  const skippedJobs = new Set(report.badRows.filter((r) => r.table === "jobs").map((r) => r.id));
  const imported = new Set<number>();
  const context = { zone: options.zone, now, jobLastRunAt, newId: (id: number) => id + offset, imported };
  for await (const page of source.logs(logColumns)) {
    const rows: MappedLog[] = [];
    for (const row of page) {
      const legacyId = Number(row.id);
      const jobId = row.job_id ?? null;
      if (jobId === null || !jobLastRunAt.has(jobId)) {
        if (jobId !== null && skippedJobs.has(jobId)) report.logsOfSkippedJobs.push(legacyId);
        else report.orphanLogs.push(legacyId);
        continue;
      }
      const log = mapLegacyLog(row, context, report);
      if (!log) continue;
      rows.push(log);
      imported.add(legacyId);
    }
    await insertMapped(target, "job_logs", TARGET_LOG_COLUMNS, rows);
    report.logs += rows.length;
  }
}

/** Rows per INSERT are capped by size: run logs reach 200 kB each in the original. */
const INSERT_BYTES = 8 * 1024 * 1024;

/** Inserts with the column list fixed per table (never taken from a row): a NULL stays a NULL. */
async function insertMapped(client: pg.Client, table: string, columns: readonly string[], rows: readonly object[]): Promise<void> {
  const list = columns.map((c) => `"${c}"`).join(", ");
  const sql = `INSERT INTO "${table}" (${list}) SELECT ${list} FROM json_populate_recordset(NULL::"${table}", $1::json)`;
  let batch: string[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length) await client.query(sql, [`[${batch.join(",")}]`]);
    batch = [];
    bytes = 0;
  };
  for (const row of rows) {
    const json = JSON.stringify(row) as string;
    if (bytes + json.length > INSERT_BYTES) await flush();
    batch.push(json);
    bytes += json.length;
  }
  await flush();
}

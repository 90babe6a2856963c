/**
 * Copies the Python ConnectHub's jobs and job logs into this database, keeping ids, in one
 * transaction: a collision or any error leaves nothing written. Secret tokens are copied as
 * they are; they decrypt here when the original's fernet.key is this installation's key file.
 */
import pg from "pg";
import { insertRows, resetSequence, tableColumns } from "./backup-tables.ts";
import { emptyReport, mapLegacyJob, mapLegacyLog, type LegacyReport } from "./legacy-mapping.ts";
import { legacyColumns, readLegacyJobs, readLegacyLogIds, readLegacyLogs } from "./legacy-source.ts";
import { LegacyConflictError } from "./operation-errors.ts";
import { undecryptableJobIds } from "./secret-check.ts";

export interface LegacyImportOptions {
  sourceUrl: string;
  /** A migrated ConnectHub database. */
  targetUrl: string;
  /** Zone in which the original's naive timestamps are read (it ran on Asia/Shanghai). */
  zone: string;
  key: string | null;
  dryRun: boolean;
}

export async function importLegacy(options: LegacyImportOptions): Promise<LegacyReport> {
  const source = new pg.Client({ connectionString: options.sourceUrl });
  const target = new pg.Client({ connectionString: options.targetUrl });
  await source.connect();
  try {
    await target.connect();
    // One snapshot of the source, even if the original system is still writing.
    await source.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const jobColumns = await legacyColumns(source, "jobs");
    const logColumns = await legacyColumns(source, "job_logs");
    const naive = [
      ...[...jobColumns.naive].map((c) => `jobs.${c}`),
      ...[...logColumns.naive].map((c) => `job_logs.${c}`),
    ];
    const report = emptyReport(options.zone, naive);
    const now = new Date();
    const jobs = (await readLegacyJobs(source, jobColumns)).map((row) => mapLegacyJob(row, options.zone, now, report));
    const jobIds = new Set(jobs.map((j) => j.id as string));
    report.undecryptable = undecryptableJobIds(
      jobs.map((j) => ({ id: j.id as string, secretCfg: j.secret_cfg as string | null })),
      options.key,
    );

    await target.query("BEGIN");
    try {
      const takenJobs = (await target.query<{ id: string }>(`SELECT id FROM jobs WHERE id = ANY($1::text[])`, [[...jobIds]])).rows.map((r) => r.id);
      const logIds = await readLegacyLogIds(source);
      const takenLogs = (await target.query<{ id: number }>(`SELECT id FROM job_logs WHERE id = ANY($1::int[])`, [logIds])).rows.map((r) => r.id);
      if (takenJobs.length || takenLogs.length) throw new LegacyConflictError(takenJobs.sort(), takenLogs.sort((a, b) => a - b));

      await insertRows(target, "jobs", await tableColumns(target, "jobs"), jobs);
      report.jobs = jobs.length;
      const logTableColumns = await tableColumns(target, "job_logs");
      for await (const page of readLegacyLogs(source, logColumns)) {
        const rows = [];
        for (const row of page) {
          if (!row.job_id || !jobIds.has(row.job_id)) {
            report.orphanLogs += 1;
            continue;
          }
          rows.push(mapLegacyLog(row, options.zone, report));
        }
        await insertRows(target, "job_logs", logTableColumns, rows);
        report.logs += rows.length;
      }
      await resetSequence(target, "job_logs", "id");
      await target.query(options.dryRun ? "ROLLBACK" : "COMMIT");
    } catch (error) {
      await target.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
    return report;
  } finally {
    await source.end().catch(() => undefined);
    await target.end().catch(() => undefined);
  }
}

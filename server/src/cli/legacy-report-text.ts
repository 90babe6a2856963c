/** The report of `connecthub import-legacy`, as lines for the operator. */
import type { LegacyReport } from "../operations/legacy-report.ts";

const SHOWN = 20;

function list(items: ReadonlyArray<string | number>): string {
  return items.length > SHOWN ? `${items.slice(0, SHOWN).join(", ")}, … (${items.length} in all)` : items.join(", ");
}

export function legacyReportLines(r: LegacyReport, dryRun: boolean): string[] {
  const out: string[] = [];
  out.push(`${dryRun ? "Would import" : "Imported"} ${r.jobs} job(s) and ${r.logs} job log(s) from ${r.source}.${dryRun ? " (dry run: nothing was written)" : ""}`);
  out.push(`Log statuses in the original: ${Object.entries(r.statuses).map(([s, n]) => `${s || "(empty)"} ${n}`).join(", ") || "none"}`);
  if (r.naiveColumns.length) out.push(`Timestamps without a time zone (${r.naiveColumns.join(", ")}) were read as ${r.zone} wall-clock time.`);
  if (r.subMillisecond) out.push(`Time precision: ${r.subMillisecond} timestamp(s) had microseconds; ConnectHub keeps milliseconds, the rest was dropped.`);
  if (r.attemptRaised) out.push(`attempt: ${r.attemptRaised} log(s) had attempt 0 or none (the original counted from 0); recorded as 1, ConnectHub's first attempt.`);
  if (r.unfinished) out.push(`${r.unfinished} log(s) were RUNNING or QUEUED in the original: recorded as ABANDONED without a finish time, their message saying they were imported unfinished.`);
  for (const [status, n] of Object.entries(r.unmappedStatuses)) out.push(`NOT MAPPED: ${n} log(s) with unknown status "${status}": recorded as ABANDONED, noted in their message.`);
  if (r.triggerDefaulted) out.push(`${r.triggerDefaulted} log(s) have no trigger in snapshot_params.meta: recorded as CRON.`);
  if (r.renumberOffset !== null) out.push(`--renumber-logs: each log's new id is its original id + ${r.renumberOffset}; the original id is kept as legacyId.`);
  const s = r.startedAtFrom;
  if (s.finishedAt.length) out.push(`started_at missing, finished_at used: log id(s) ${list(s.finishedAt)}`);
  if (s.lastRunAt.length) out.push(`started_at and finished_at missing, the job's last_run_at used: log id(s) ${list(s.lastRunAt)}`);
  if (s.importTime.length) out.push(`started_at, finished_at and the job's last_run_at missing, the import time used: log id(s) ${list(s.importTime)}`);
  for (const c of r.cronConversions) {
    out.push(`cron converted from croniter's seconds-last form: ${c.jobId}: "${c.legacy}" → "${c.converted}"`);
  }
  if (r.enabledNull.length) out.push(`enabled was NULL (the original never fired these), imported DISABLED: ${list(r.enabledNull)}`);
  if (r.invalidCron.length) out.push(`NOT MAPPED: cron expression missing or invalid here, job imported DISABLED: ${list(r.invalidCron)}`);
  if (r.futureLastRunAt.length) out.push(`last_run_at in the future (the original's time-zone bug) was cleared for: ${list(r.futureLastRunAt)}`);
  if (r.badPublicCfg.length) out.push(`NOT MAPPED: public_cfg is not a JSON object, imported as {}: ${list(r.badPublicCfg)}`);
  if (r.badSnapshot.length) out.push(`NOT MAPPED: snapshot_params not a JSON object, kept as {} for log id(s): ${list(r.badSnapshot)}`);
  if (r.orphanLogs.length) out.push(`SKIPPED: log(s) whose job is not in the source: ${list(r.orphanLogs)}`);
  if (r.logsOfSkippedJobs.length) out.push(`SKIPPED: log(s) of jobs skipped below: ${list(r.logsOfSkippedJobs)}`);
  if (r.badRows.length) {
    out.push(`SKIPPED: ${r.badRows.length} bad row(s) (--strict would import nothing instead):`);
    for (const b of r.badRows.slice(0, 200)) out.push(`  ${b.table} id ${b.id}, column ${b.column}: ${b.problem}`);
    if (r.badRows.length > 200) out.push(`  … and ${r.badRows.length - 200} more`);
  }
  if (r.truncatedSecrets.length) out.push(`SECRETS: the token is truncated in the source (no key can decrypt it; re-enter the secret config): ${list(r.truncatedSecrets)}`);
  if (r.malformedSecrets.length) out.push(`SECRETS: not a Fernet token of a JSON object (re-enter the secret config): ${list(r.malformedSecrets)}`);
  if (r.undecryptable.length) out.push(`SECRETS: imported with --allow-undecryptable, the key cannot decrypt them (re-enter, or install the original's key): ${list(r.undecryptable)}`);
  if (r.keyInstalledAt) {
    out.push(`Key: the original's key was installed at ${r.keyInstalledAt}${r.keyReplacedKeptAs ? ` (the key it replaced is kept as ${r.keyReplacedKeptAs})` : ""}. Restart a running server so it uses it.`);
  }
  return out;
}

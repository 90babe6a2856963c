import { loadConfig } from "../../config/config.ts";
import { openDatabase } from "../../operations/database-session.ts";
import { readKeyIfPresent } from "../../operations/key-install.ts";
import { importLegacy } from "../../operations/legacy-import.ts";
import type { LegacyReport } from "../../operations/legacy-mapping.ts";
import { isValidTimeZone } from "../../scheduler/triggers/index.ts";
import { UsageError, type Command } from "../command.ts";
import { loudWarning, parseOptions } from "../parse-options.ts";
import { cliAudited } from "../../audit/index.ts";

const importLegacyCommand: Command = {
  name: "import-legacy",
  summary: "Copy jobs and job logs from the Python ConnectHub's PostgreSQL",
  usage: `Usage: connecthub import-legacy --from <postgresql url> [--zone <IANA zone>] [--dry-run]

Copies the original (Python) ConnectHub's \`jobs\` and \`job_logs\` into this database, keeping
ids, cron expressions, handler paths (the dotted form resolves unchanged when the extension
exists here), public configs, secret configs (as their Fernet tokens: put the original's
fernet.key in place as this installation's key file FIRST), enabled, last_run_at and the whole
history (status, snapshot_params, message, traceback, run_log, celery_task_id → queueJobId,
attempt, started_at, finished_at). One transaction: a job id or log id that exists already
stops the import with nothing written.

  --from <url>    the original's database, e.g. postgresql://connecthub:…@old-host:5432/connecthub
  --zone <zone>   zone of timestamps stored without one (default: TIMEZONE, Asia/Shanghai)
  --dry-run       read, map and check everything, print the report, write nothing

Then check: \`connecthub doctor\` (secrets decrypt, handlers resolve). Stop the original's beat
first, or both systems will run the same jobs.`,
  async run(args) {
    const { values } = parseOptions("import-legacy", args, {
      from: { type: "string" },
      zone: { type: "string" },
      "dry-run": { type: "boolean" },
    });
    if (!values.from) throw new UsageError("import-legacy: --from <postgresql url of the original database> is required");
    if (!/^postgres(ql)?:\/\//.test(values.from)) throw new UsageError("import-legacy: --from must be a postgresql:// URL");
    const config = loadConfig();
    const zone = values.zone ?? config.TIMEZONE;
    if (!isValidTimeZone(zone)) throw new UsageError(`import-legacy: --zone "${zone}" is not a known IANA zone`);
    const key = await readKeyIfPresent(config.fernetKeyPath);
    const db = await openDatabase(config, "import-legacy");
    try {
      const report = await cliAudited(db.url, "cli.import", { type: "LegacyDatabase", id: "import-legacy" }, () => importLegacy({ sourceUrl: values.from!, targetUrl: db.url, zone, key, dryRun: Boolean(values["dry-run"]) }), () => ({ source: "legacy", dryRun: Boolean(values["dry-run"]) }));
      printReport(report, Boolean(values["dry-run"]), config.fernetKeyPath);
      return 0;
    } finally {
      await db.close();
    }
  },
};
export default importLegacyCommand;

function printReport(r: LegacyReport, dryRun: boolean, keyPath: string): void {
  const out = (line: string) => process.stdout.write(line + "\n");
  out(`${dryRun ? "Would import" : "Imported"} ${r.jobs} job(s) and ${r.logs} job log(s).`);
  out(`Log statuses in the original: ${Object.entries(r.statuses).map(([s, n]) => `${s || "(empty)"} ${n}`).join(", ") || "none"}`);
  if (r.naiveColumns.length) {
    out(`Timestamps without a time zone (${r.naiveColumns.join(", ")}) were read as ${r.zone} wall-clock time.`);
  }
  if (r.abandoned) out(`${r.abandoned} log(s) were RUNNING in the original: recorded as ABANDONED (they cannot continue here).`);
  for (const [status, n] of Object.entries(r.unmappedStatuses)) out(`NOT MAPPED: ${n} log(s) with unknown status "${status}": recorded as ABANDONED, noted in their message.`);
  if (r.triggerDefaulted) out(`${r.triggerDefaulted} log(s) have no trigger in snapshot_params.meta: recorded as CRON.`);
  if (r.orphanLogs) out(`NOT MAPPED: ${r.orphanLogs} log(s) whose job no longer exists were skipped.`);
  if (r.invalidCron.length) out(`NOT MAPPED: cron expression invalid here, job imported DISABLED: ${r.invalidCron.join(", ")}`);
  if (r.futureLastRunAt.length) out(`last_run_at in the future (the original's time-zone bug) was cleared for: ${r.futureLastRunAt.join(", ")}`);
  if (r.badPublicCfg.length) out(`NOT MAPPED: public_cfg is not a JSON object, imported as {}: ${r.badPublicCfg.join(", ")}`);
  if (r.badSnapshot.length) out(`NOT MAPPED: snapshot_params not a JSON object, kept as {} for log id(s): ${r.badSnapshot.join(", ")}`);
  if (r.undecryptable.length) {
    loudWarning([
      `The key file ${keyPath} cannot decrypt the secret configs of: ${r.undecryptable.join(", ")}.`,
      "Copy the original's fernet.key there (same file, same key), or re-enter those secrets.",
    ]);
  }
}

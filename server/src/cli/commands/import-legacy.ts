import { readFile } from "node:fs/promises";
import { loadConfig } from "../../config/config.ts";
import { openDatabase } from "../../operations/database-session.ts";
import { readKeyIfPresent } from "../../operations/key-install.ts";
import { importLegacy } from "../../operations/legacy-import.ts";
import { parseLegacyLocation } from "../../operations/legacy-source.ts";
import { ensureDatabaseExists } from "../../operations/target-database.ts";
import { isValidTimeZone } from "../../triggers/index.ts";
import { Fernet } from "../../security/fernet.ts";
import { UsageError, type Command } from "../command.ts";
import { legacyReportLines } from "../legacy-report-text.ts";
import { parseOptions } from "../parse-options.ts";
import { cliAudited } from "../../audit/index.ts";

const importLegacyCommand: Command = {
  name: "import-legacy",
  summary: "Copy jobs and job logs from the Python ConnectHub (PostgreSQL or SQLite)",
  usage: `Usage: connecthub import-legacy --from <DB_URL or SQLite file> [options]

Copies the original (Python) ConnectHub's \`jobs\` and \`job_logs\` into this database: ids, cron
expressions (croniter's six-field seconds-LAST form converted), handler paths, public configs,
secret configs (their Fernet tokens, unchanged), enabled, last_run_at and the whole history.
One transaction: nothing is written unless everything is. Step by step: docs/migration.md.

  --from <source>          the original's DB_URL as it is (postgresql://, postgresql+psycopg://,
                           postgresql+psycopg2://, sqlite:///connecthub.db) or a SQLite file path
  --key-file <path>        the original's fernet.key: checked against the secrets, then installed
                           as this installation's key file (FERNET_KEY_PATH)
  --dry-run                read, map and check everything, print the report, write nothing
  --strict                 import nothing if any row is bad (default: skip bad rows, list them)
  --allow-undecryptable    import even if the key cannot decrypt some secrets (re-enter them)
  --renumber-logs          the target already has runs: give imported runs new ids
                           (original id kept as legacyId, retry links kept)
  --zone <zone>            zone of timestamps stored without one (default: TIMEZONE, Asia/Shanghai)

The import refuses, writing nothing, when the key (--key-file, else the key file in place) cannot
decrypt a job's secret. Then check: \`connecthub doctor\`. Stop the original's beat first, or both
systems will run the same jobs.`,
  async run(args) {
    const { values } = parseOptions("import-legacy", args, {
      from: { type: "string" },
      zone: { type: "string" },
      "key-file": { type: "string" },
      "dry-run": { type: "boolean" },
      strict: { type: "boolean" },
      "allow-undecryptable": { type: "boolean" },
      "renumber-logs": { type: "boolean" },
    });
    if (!values.from) throw new UsageError("import-legacy: --from <the original's DB_URL, or its SQLite file> is required");
    const from = parseLegacyLocation(values.from);
    const config = loadConfig();
    const zone = values.zone ?? config.TIMEZONE;
    if (!isValidTimeZone(zone)) throw new UsageError(`import-legacy: --zone "${zone}" is not a known IANA zone`);
    const keyFromFile = values["key-file"] ? await readOriginalKey(values["key-file"]) : null;
    const currentKey = await readKeyIfPresent(config.fernetKeyPath);
    const dryRun = Boolean(values["dry-run"]);
    if (config.DATABASE_URL && (await ensureDatabaseExists(config.DATABASE_URL))) {
      process.stderr.write(`Created the database named by DATABASE_URL (it did not exist).\n`);
    }
    const db = await openDatabase(config, "import-legacy");
    try {
      const report = await cliAudited(
        db.url,
        "cli.import",
        { type: "LegacyDatabase", id: "import-legacy" },
        () =>
          importLegacy({
            from,
            targetUrl: db.url,
            zone,
            keyPath: config.fernetKeyPath,
            currentKey,
            keyFromFile,
            dryRun,
            strict: Boolean(values.strict),
            allowUndecryptable: Boolean(values["allow-undecryptable"]),
            renumberLogs: Boolean(values["renumber-logs"]),
          }),
        () => ({ source: "legacy", dryRun }),
      );
      process.stdout.write(legacyReportLines(report, dryRun).join("\n") + "\n");
      return 0;
    } finally {
      await db.close();
    }
  },
};
export default importLegacyCommand;

async function readOriginalKey(file: string): Promise<string> {
  let text: string;
  try {
    text = (await readFile(file, "utf8")).trim();
  } catch (error) {
    throw new UsageError(`import-legacy: --key-file ${file} cannot be read (${(error as Error).message})`);
  }
  try {
    new Fernet(text);
  } catch (error) {
    throw new UsageError(`import-legacy: --key-file ${file}: ${(error as Error).message}`);
  }
  return text;
}

import {
  checkConfig,
  checkCronConventions,
  checkExtensions,
  checkKeyFile,
  checkMigrations,
  checkQueue,
  checkSecrets,
  openForDoctor,
  type CheckResult,
} from "../../operations/doctor-checks.ts";
import type { Command } from "../command.ts";
import { parseOptions } from "../parse-options.ts";

function print(result: CheckResult): void {
  const lines = [`${result.ok ? (result.warn ? "WARN" : "OK  ") : "FAIL"}  ${result.name.padEnd(11)} ${result.detail}`];
  if ((!result.ok || result.warn) && result.fix) lines.push(`      ${"".padEnd(11)} fix: ${result.fix}`);
  process.stdout.write(lines.join("\n") + "\n");
}

const doctor: Command = {
  name: "doctor",
  summary: "Check configuration, key file, database, queue and extensions",
  usage: `Usage: connecthub doctor

Checks, one line each (OK, WARN or FAIL with a fix), and exits non-zero if any fails:
  config       the environment parses
  key file     the Fernet key file is present, readable and valid
  database     the database answers (embedded mode: the running server's, or started for the check)
  migrations   every migration is applied, none edited
  secrets      every job's secret config decrypts with the key file
  cron         (warning) six-field expressions that croniter, the Python ConnectHub's parser,
               reads differently (it puts seconds last)
  queue        the Agenda store (MongoDB or PostgreSQL) answers
  extensions   the handler registry loads, and every job's handlerPath resolves
Changes nothing: safe to run in production, e.g. \`docker compose run --rm backend doctor\`.`,
  async run(args) {
    parseOptions("doctor", args, {});
    const results: CheckResult[] = [];
    const record = (r: CheckResult) => (results.push(r), print(r));
    const { result, config } = checkConfig();
    record(result);
    if (!config) return 1;
    const key = await checkKeyFile(config);
    record(key.result);
    const { result: dbResult, db } = await openForDoctor(config);
    record(dbResult);
    try {
      if (db) {
        record(await checkMigrations(db));
        if (key.result.ok) record(await checkSecrets(db, key.key, config.fernetKeyPath));
        record(await checkCronConventions(db));
        record(await checkQueue(config, db));
      }
      record(await checkExtensions(db));
    } finally {
      await db?.close();
    }
    const failed = results.filter((r) => !r.ok).length;
    process.stdout.write(failed ? `\n${failed} check(s) failed.\n` : "\nAll checks passed.\n");
    return failed ? 1 : 0;
  },
};
export default doctor;

import path from "node:path";
import { loadConfig } from "../../config/config.ts";
import { createBackup } from "../../operations/backup.ts";
import { openDatabase } from "../../operations/database-session.ts";
import { UsageError, type Command } from "../command.ts";
import { loudWarning, parseOptions } from "../parse-options.ts";
import { cliAudited } from "../../audit/index.ts";

const backup: Command = {
  name: "backup",
  summary: "Write the database and the Fernet key to one archive",
  usage: `Usage: connecthub backup --out <file> [--without-key] [--sessions]

Writes jobs, job logs, fire records, users and API tokens (and login sessions with --sessions),
plus the Fernet key file, to one gzip archive of JSON lines (mode 0600: it holds the key).
Read through the app's own database connection in one consistent snapshot, so it works for the
embedded database and any PostgreSQL server, also while ConnectHub runs.

  --out <file>     archive to write, e.g. /data/backups/connecthub-$(date +%F).jsonl.gz
  --without-key    leave the key out (keep it elsewhere!): secrets cannot be restored without it
  --sessions       include login sessions (left out by default: users simply log in again)`,
  async run(args) {
    const { values } = parseOptions("backup", args, {
      out: { type: "string" },
      "without-key": { type: "boolean" },
      sessions: { type: "boolean" },
    });
    if (!values.out) throw new UsageError("backup: --out <file> is required");
    const out = path.resolve(values.out);
    const config = loadConfig();
    const db = await openDatabase(config, "backup");
    try {
      const result = await cliAudited(db.url, "cli.backup", { type: "Archive", id: path.basename(out) }, () => createBackup({
        databaseUrl: db.url,
        embedded: db.embedded,
        out,
        keyPath: config.fernetKeyPath,
        includeKey: !values["without-key"],
        includeSessions: Boolean(values.sessions),
      }), (r) => ({ counts: r.counts, keyIncluded: r.keyIncluded }));
      for (const [table, n] of Object.entries(result.counts)) process.stdout.write(`${table.padEnd(14)} ${n}\n`);
      if (result.keyIncluded) {
        process.stdout.write(`fernet key     included (${config.fernetKeyPath})\n`);
      } else {
        loudWarning([
          "THIS BACKUP DOES NOT CONTAIN THE FERNET KEY.",
          `Reason: ${result.keyProblem}`,
          "Restoring it cannot bring back any job's secret config unless you also keep",
          `a copy of ${config.fernetKeyPath} from this installation. Back that file up now.`,
        ]);
      }
      process.stdout.write(`Backup written to ${out}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
export default backup;

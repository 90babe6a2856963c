import path from "node:path";
import { loadConfig } from "../../config/config.ts";
import { openDatabase } from "../../operations/database-session.ts";
import { restoreBackup } from "../../operations/restore.ts";
import { UsageError, type Command } from "../command.ts";
import { loudWarning, parseOptions } from "../parse-options.ts";
import { cliAudited } from "../../audit/index.ts";

const restore: Command = {
  name: "restore",
  summary: "Restore an archive written by `connecthub backup`",
  usage: `Usage: connecthub restore <file> [--force]

Restores the database rows and the Fernet key of a backup archive, in one transaction (all or
nothing). Stop the API and workers first (\`docker compose stop backend worker\`); in embedded
mode it refuses while the server runs (everything under it would be replaced).

  --force   restore into a database that holds data (everything in it is replaced), and
            replace a key file that differs from the backup's key (the old file is kept as
            fernet.key.replaced-<time>)

Runs that were queued or running when the backup was taken are closed as ABANDONED: their
queue entries are not part of the backup. Retry them from the admin if needed.`,
  async run(args) {
    const { values, positionals } = parseOptions("restore", args, { force: { type: "boolean" } });
    if (positionals.length !== 1) throw new UsageError("restore: give exactly one archive file (see `connecthub restore --help`)");
    const file = path.resolve(positionals[0]!);
    const config = loadConfig();
    const db = await openDatabase(config, "restore", { exclusive: true });
    try {
      const result = await cliAudited(db.url, "cli.restore", { type: "Archive", id: path.basename(file) }, () => restoreBackup({ databaseUrl: db.url, file, keyPath: config.fernetKeyPath, force: Boolean(values.force) }), (r) => ({ counts: r.counts, keyAction: r.keyAction }));
      for (const [table, n] of Object.entries(result.counts)) process.stdout.write(`${table.padEnd(14)} ${n} restored\n`);
      const keyLine = {
        keep: result.keyInArchive ? "unchanged (same key as the backup)" : "unchanged",
        write: `written to ${config.fernetKeyPath}`,
        replace: `replaced in ${config.fernetKeyPath} (previous key kept as ${result.replacedKeyKeptAs})`,
      }[result.keyAction];
      process.stdout.write(`fernet key     ${keyLine}\n`);
      if (result.abandonedRuns) process.stdout.write(`${result.abandonedRuns} run(s) that were in flight at backup time are now ABANDONED.\n`);
      if (!result.keyInArchive) {
        loudWarning([
          "THE BACKUP DID NOT CONTAIN A FERNET KEY.",
          "Job secret configs can only be decrypted if the key file in place is the one they were saved with.",
        ]);
      }
      if (result.undecryptable.length) {
        loudWarning([
          `The key in ${config.fernetKeyPath} cannot decrypt the secrets of ${result.undecryptable.length} job(s):`,
          result.undecryptable.join(", "),
          "Put the original fernet.key in place, or re-enter those jobs' secret configs in the admin.",
        ]);
      }
      process.stdout.write(`Restored ${file}\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
export default restore;

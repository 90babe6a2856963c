import { loadConfig } from "../../config/config.ts";
import { openDatabase } from "../../operations/database-session.ts";
import type { Command } from "../command.ts";
import { parseOptions } from "../parse-options.ts";

const migrate: Command = {
  name: "migrate",
  summary: "Apply pending database migrations and list them",
  usage: `Usage: connecthub migrate

Applies the SQL migrations in prisma/migrations that this database has not had yet, in order,
under a PostgreSQL advisory lock (processes starting at the same time take turns), and prints
each one applied. Every ConnectHub process does the same at start; this command does it alone,
e.g. as the one-shot \`migrate\` service of docker-compose.yml.
Embedded mode (no DATABASE_URL): the running server's PostgreSQL, or started for the command.`,
  async run(args) {
    parseOptions("migrate", args, {});
    const config = loadConfig();
    const db = await openDatabase(config, "migrate");
    try {
      for (const name of db.applied) process.stdout.write(`applied ${name}\n`);
      process.stdout.write(db.applied.length ? `${db.applied.length} migration(s) applied.\n` : "Database is up to date; nothing to apply.\n");
      return 0;
    } finally {
      await db.close();
    }
  },
};
export default migrate;

import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { auditJsonLines, parseSince } from "../../audit/index.ts";
import { withCliDatabase } from "../../security/auth/cli-database.ts";
import { UsageError, type Command } from "../command.ts";
import { parseOptions } from "../parse-options.ts";

const audit: Command = {
  name: "audit",
  summary: "Export the audit log as JSON lines",
  usage: `Usage: connecthub audit export [--since <when>] [--until <when>] [--action <a,b>] [--out <file>]

Writes audit events (oldest first), one JSON object per line, to stdout or --out (mode 0600).
  --since, --until   an ISO instant or date (2026-11-01, 2026-11-01T08:00:00Z) or an age (7d, 12h, 30m)
  --action           only these actions, comma-separated (job.update,run.now,auth.login …)`,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub !== "export") throw new UsageError(`unknown subcommand "${sub ?? ""}".\n${this.usage}`);
    const { values } = parseOptions("audit", rest, { since: { type: "string" }, until: { type: "string" }, action: { type: "string" }, out: { type: "string" } });
    const when = (name: string, text: string | undefined) => {
      if (text === undefined) return undefined;
      const at = parseSince(text);
      if (!at) throw new UsageError(`audit export: --${name} "${text}" is neither an ISO date/instant nor an age like 7d`);
      return at;
    };
    const filter = { since: when("since", values.since), until: when("until", values.until), actions: values.action?.split(",").map((a) => a.trim()).filter(Boolean) };
    const out = values.out ? createWriteStream(values.out, { mode: 0o600 }) : process.stdout;
    let count = 0;
    await withCliDatabase(async (prisma) => {
      for await (const line of auditJsonLines(prisma, filter)) {
        count++;
        if (!out.write(line)) await once(out, "drain");
      }
    });
    if (values.out) {
      await new Promise((resolve) => (out as ReturnType<typeof createWriteStream>).end(resolve));
      process.stderr.write(`Exported ${count} audit event(s) to ${values.out}\n`);
    }
    return 0;
  },
};
export default audit;

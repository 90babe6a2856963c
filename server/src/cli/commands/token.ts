import { createApiToken, listApiTokens, parseRole, revokeApiToken } from "../../security/auth/index.ts";
import { withCliDatabase } from "../../security/auth/cli-database.ts";
import { UsageError, type Command } from "../command.ts";
import { cliAudited } from "../../audit/index.ts";

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

const token: Command = {
  name: "token",
  summary: "Create, list and revoke API tokens (Authorization: Bearer …)",
  usage: `Usage: connecthub token <create|list|revoke> ...
  token create --role <viewer|operator|admin> --name <name> [--scope metrics]
                                                               prints the token once; only its hash is stored
                                                               (--scope metrics: may also read GET /metrics)
  token list [--all]                                           active tokens (--all: revoked too)
  token revoke <id|name>                                       revokes a token (every active one with that name)`,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === "create") {
      const role = parseRole(option(rest, "--role") ?? "");
      const name = option(rest, "--name")?.trim();
      if (!role) throw new UsageError("token create needs --role viewer, operator or admin");
      if (!name) throw new UsageError("token create needs --name <name> (e.g. the client that will use it)");
      const scope = option(rest, "--scope");
      if (scope !== undefined && scope !== "metrics") throw new UsageError(`token create --scope accepts "metrics" (got "${scope}")`);
      const { token: value, record } = await withCliDatabase(
        (prisma) =>
          cliAudited(prisma, "token.create", { type: "ApiToken", id: name }, () => createApiToken(prisma, name, role, { scopes: scope ? [scope] : [] }), (r) => ({ id: r.record.id, role, scopes: r.record.scopes })),
        "token",
      );
      process.stderr.write(`Created token #${record.id} "${record.name}" (${record.role}). It is shown only now; store it safely:\n`);
      process.stdout.write(`${value}\n`);
      return 0;
    }
    if (sub === "list") {
      const tokens = await withCliDatabase((prisma) => listApiTokens(prisma, rest.includes("--all")), "token");
      const rows = tokens.map((t) =>
        [String(t.id), t.name, t.role, `${t.prefix}…`, t.createdAt.toISOString(), t.lastUsedAt?.toISOString() ?? "never", t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : "active"].join("\t"),
      );
      process.stdout.write(["id\tname\trole\tprefix\tcreated\tlast used\tstate", ...rows].join("\n") + "\n");
      return 0;
    }
    if (sub === "revoke") {
      const ref = rest[0];
      if (!ref) throw new UsageError("token revoke needs the token's id or name (see `token list`)");
      const count = await withCliDatabase((prisma, events) => cliAudited(prisma, "token.revoke", { type: "ApiToken", id: ref }, () => revokeApiToken(prisma, ref, events), (count) => ({ revoked: count })), "token");
      process.stdout.write(`Revoked ${count} token(s).\n`);
      return 0;
    }
    throw new UsageError(`unknown subcommand "${sub ?? ""}".\n${this.usage}`);
  },
};
export default token;

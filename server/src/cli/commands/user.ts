import { createUser, parseRole, setPassword } from "../../security/auth/index.ts";
import { readPasswordFromStdin, withCliDatabase } from "../../security/auth/cli-database.ts";
import { UsageError, type Command } from "../command.ts";
import { cliAudited } from "../../audit/index.ts";

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

const user: Command = {
  name: "user",
  summary: "Manage admin users: create, change password, list",
  usage: `Usage: connecthub user <create|passwd|list> ...
  user create <name> [--role viewer|operator|admin] [--password-stdin]   role defaults to viewer
  user passwd <name> [--password-stdin]                                   also ends the user's sessions
  user list
The password is read from stdin: typed at a prompt, or the first line when piped (--password-stdin).`,
  async run(args) {
    const [sub, name, ...rest] = args;
    if (sub === "list") {
      const users = await withCliDatabase((prisma) => prisma.user.findMany({ omit: { passwordHash: true }, orderBy: { id: "asc" } }), "user");
      process.stdout.write(["id\tusername\trole\tcreated\tstate", ...users.map((u) => [u.id, u.username, u.role, u.createdAt.toISOString(), u.disabledAt ? "disabled" : "active"].join("\t"))].join("\n") + "\n");
      return 0;
    }
    if (sub !== "create" && sub !== "passwd") throw new UsageError(`unknown subcommand "${sub ?? ""}".\n${this.usage}`);
    const username = name?.trim();
    if (!username || username.startsWith("--")) throw new UsageError(`user ${sub} needs a username`);
    const roleText = option(rest, "--role");
    const role = roleText === undefined ? "VIEWER" : parseRole(roleText);
    if (!role) throw new UsageError("--role must be viewer, operator or admin");
    const password = await readPasswordFromStdin(`Password for ${username}: `);
    if (sub === "create") {
      const created = await withCliDatabase((prisma) => cliAudited(prisma, "user.create", { type: "User", id: username }, () => createUser(prisma, username, password, role), (u) => ({ role: u.role })), "user");
      process.stdout.write(`Created user "${created.username}" (${created.role}).\n`);
    } else {
      await withCliDatabase((prisma, events) => cliAudited(prisma, "user.update", { type: "User", id: username }, () => setPassword(prisma, username, password, events), () => ({ password: "changed" })), "user");
      process.stdout.write(`Changed the password of "${username}"; their sessions were ended.\n`);
    }
    return 0;
  },
};
export default user;

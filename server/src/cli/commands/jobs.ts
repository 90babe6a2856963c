import { writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../../config/config.ts";
import { createPrisma } from "../../db/prisma.ts";
import { openDatabase } from "../../operations/database-session.ts";
import { exportJobs, importJobs, readJobsFile } from "../../operations/job-transfer.ts";
import { readKeyIfPresent } from "../../operations/key-install.ts";
import { UsageError, type Command } from "../command.ts";
import { parseOptions } from "../parse-options.ts";
import { cliAudited } from "../../audit/index.ts";

const USAGE = `Usage:
  connecthub jobs export [--out <file>]      job definitions as JSON (stdout without --out)
  connecthub jobs import <file> [--replace]  create the jobs of an export file

Secret configs stay the encrypted Fernet tokens they are stored as. Import checks every token
against the key file in place and refuses (listing the job ids, writing nothing) when one does
not decrypt: copy the source's fernet.key first. Existing ids are refused too, unless --replace
(which overwrites those definitions and keeps their logs). All or nothing, in one transaction.
Embedded mode (no DATABASE_URL): works beside the running server, through its PostgreSQL.`;

const jobs: Command = {
  name: "jobs",
  summary: "Export job definitions to JSON, or import them",
  usage: USAGE,
  async run(args) {
    const [sub, ...rest] = args;
    if (sub === "export") return runExport(rest);
    if (sub === "import") return runImport(rest);
    throw new UsageError(`jobs: expected "export" or "import", got ${sub ? `"${sub}"` : "nothing"} (see \`connecthub jobs --help\`)`);
  },
};
export default jobs;

async function withPrisma<T>(command: string, fn: (prisma: ReturnType<typeof createPrisma>) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig(), command);
  const prisma = createPrisma(db.url, 2);
  try {
    return await fn(prisma);
  } finally {
    await prisma.$disconnect();
    await db.close();
  }
}

async function runExport(args: string[]): Promise<number> {
  const { values } = parseOptions("jobs export", args, { out: { type: "string" } });
  const document = await withPrisma("jobs export", exportJobs);
  const text = JSON.stringify(document, null, 2) + "\n";
  if (!values.out) {
    process.stdout.write(text);
    return 0;
  }
  const out = path.resolve(values.out);
  await writeFile(out, text, { mode: 0o600 });
  process.stderr.write(`Exported ${document.jobs.length} job(s) to ${out}\n`);
  return 0;
}

async function runImport(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions("jobs import", args, { replace: { type: "boolean" } });
  if (positionals.length !== 1) throw new UsageError("jobs import: give exactly one file (see `connecthub jobs --help`)");
  const file = path.resolve(positionals[0]!);
  const jobsInFile = await readJobsFile(file);
  const config = loadConfig();
  const key = await readKeyIfPresent(config.fernetKeyPath);
  const result = await withPrisma("jobs import", (prisma) => cliAudited(prisma, "cli.import", { type: "JobsFile", id: path.basename(file) }, () => importJobs(prisma, jobsInFile, key, config.fernetKeyPath, Boolean(values.replace)), (r) => ({ created: r.created, replaced: r.replaced })));
  for (const id of result.created) process.stdout.write(`created  ${id}\n`);
  for (const id of result.replaced) process.stdout.write(`replaced ${id}\n`);
  process.stdout.write(`Imported ${result.created.length + result.replaced.length} job(s) from ${file}\n`);
  return 0;
}

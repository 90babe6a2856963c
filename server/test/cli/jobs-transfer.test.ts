import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "../../src/db/prisma.ts";
import { migrate } from "../../src/db/migrator.ts";
import { Fernet, generateFernetKey } from "../../src/security/fernet.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { runCli, tempDataDir } from "./run-cli.ts";
import { seedInstallation } from "./seed.ts";

type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

async function jobsIn(url: string) {
  const prisma = createPrisma(url, 1);
  try {
    return await prisma.job.findMany({ orderBy: { id: "asc" }, omit: { updatedAt: true, createdAt: true } });
  } finally {
    await prisma.$disconnect();
  }
}

describe("connecthub jobs export / import", () => {
  const key = generateFernetKey();
  const source = tempDataDir();
  const target = tempDataDir();
  const strange = tempDataDir();
  let from: Scratch;
  let to: Scratch;
  let other: Scratch;
  let file: string;
  beforeAll(async () => {
    [from, to, other] = await Promise.all([createScratchDatabase("cli_jobs_from"), createScratchDatabase("cli_jobs_to"), createScratchDatabase("cli_jobs_other")]);
    await Promise.all([migrate(from.url), migrate(to.url), migrate(other.url)]);
    await seedInstallation(from.url, key);
    writeFileSync(path.join(source.dir, "fernet.key"), key);
    writeFileSync(path.join(target.dir, "fernet.key"), key);
    writeFileSync(path.join(strange.dir, "fernet.key"), generateFernetKey());
    file = path.join(source.dir, "jobs.json");
  });
  afterAll(async () => {
    await Promise.all([from.drop(), to.drop(), other.drop()]);
    for (const d of [source, target, strange]) d.cleanup();
  });

  it("round-trips every definition, with the secret still the encrypted token", async () => {
    const exported = await runCli(["jobs", "export", "--out", file], { DATABASE_URL: from.url, DATA_DIR: source.dir });
    expect(exported.code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain("s3cret-token");
    const imported = await runCli(["jobs", "import", file], { DATABASE_URL: to.url, DATA_DIR: target.dir });
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("Imported 2 job(s)");
    const jobs = await jobsIn(to.url);
    expect(jobs).toEqual(await jobsIn(from.url));
    expect(new Fernet(key).decryptJson(jobs.find((j) => j.id === "oa.sync_members")!.secretCfg!)).toEqual({ token: "s3cret-token" });
  });

  it("refuses existing ids without --replace and overwrites them with it", async () => {
    const refused = await runCli(["jobs", "import", file], { DATABASE_URL: to.url, DATA_DIR: target.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("2 job(s) already exist: example.hello, oa.sync_members. Nothing was imported. Pass --replace");
    const replaced = await runCli(["jobs", "import", file, "--replace"], { DATABASE_URL: to.url, DATA_DIR: target.dir });
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(/^replaced oa\.sync_members$/m);
  });

  it("refuses tokens the current key cannot decrypt, naming the jobs and writing nothing", async () => {
    const result = await runCli(["jobs", "import", file], { DATABASE_URL: other.url, DATA_DIR: strange.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot decrypt the secrets of 1 job(s): oa.sync_members");
    expect(result.stderr).toContain("Nothing was imported");
    expect(await jobsIn(other.url)).toEqual([]);
  });

  it("refuses definitions the API would refuse, naming job and field, and writes nothing", async () => {
    const document = JSON.parse(readFileSync(file, "utf8"));
    const [first] = document.jobs;
    document.jobs = [
      { ...first, id: "bad.cron", triggerType: "CRON", cronExpr: "61 * * * *", secretCfg: null },
      { ...first, id: "bad handler id", handlerPath: "extensions.nothing.here:Nope", secretCfg: null },
    ];
    const bad = path.join(source.dir, "bad-jobs.json");
    writeFileSync(bad, JSON.stringify(document));
    const result = await runCli(["jobs", "import", bad], { DATABASE_URL: other.url, DATA_DIR: target.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("2 job(s) in the file are not valid definitions (the API would refuse them). Nothing was imported.");
    expect(result.stderr).toMatch(/^ {2}bad\.cron: cronExpr: /m);
    expect(result.stderr).toMatch(/^ {2}bad handler id: id: /m);
    expect(result.stderr).toMatch(/^ {2}bad handler id: handlerPath: /m);
    expect(await jobsIn(other.url)).toEqual([]);
  });
});

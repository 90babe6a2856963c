import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "../../src/db/prisma.ts";
import { migrate } from "../../src/db/migrator.ts";
import { Fernet, generateFernetKey } from "../../src/security/fernet.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { runCli, tempDataDir } from "./run-cli.ts";

const FIXTURES = new URL("../fixtures/legacy/", import.meta.url);
type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

async function createLegacyDatabase(url: string, secretToken: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(readFileSync(new URL("python-connecthub-schema.sql", FIXTURES), "utf8"));
    await client.query(readFileSync(new URL("python-connecthub-data.sql", FIXTURES), "utf8").replaceAll("$SECRET$", secretToken));
  } finally {
    await client.end();
  }
}

describe("connecthub import-legacy", () => {
  const key = generateFernetKey();
  const data = tempDataDir();
  let legacy: Scratch;
  let target: Scratch;
  let token: string;
  beforeAll(async () => {
    [legacy, target] = await Promise.all([createScratchDatabase("cli_legacy_src"), createScratchDatabase("cli_legacy_dst")]);
    token = new Fernet(key).encryptJson({ rest_user: "u", rest_password: "p" });
    await createLegacyDatabase(legacy.url, token);
    await migrate(target.url);
    writeFileSync(path.join(data.dir, "fernet.key"), key);
  });
  afterAll(async () => {
    await Promise.all([legacy.drop(), target.drop()]);
    data.cleanup();
  });

  it("a dry run reports what it would do and writes nothing", async () => {
    const result = await runCli(["import-legacy", "--from", legacy.url, "--dry-run"], { DATABASE_URL: target.url, DATA_DIR: data.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Would import 3 job(s) and 3 job log(s).");
    const prisma = createPrisma(target.url, 1);
    try {
      expect(await prisma.job.count()).toBe(0);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("copies jobs and history keeping ids, tokens and instants, and reports what it interpreted", async () => {
    const result = await runCli(["import-legacy", "--from", legacy.url], { DATABASE_URL: target.url, DATA_DIR: data.dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Imported 3 job(s) and 3 job log(s).");
    expect(result.stdout).toContain("were read as Asia/Shanghai wall-clock time");
    expect(result.stdout).toContain("1 log(s) were RUNNING in the original: recorded as ABANDONED");
    expect(result.stdout).toContain("cron expression invalid here, job imported DISABLED: broken.cron");
    expect(result.stdout).toContain("last_run_at in the future (the original's time-zone bug) was cleared for: broken.cron");

    const prisma = createPrisma(target.url, 1);
    try {
      const job = await prisma.job.findUniqueOrThrow({ where: { id: "oa.sync_members" } });
      expect(job).toMatchObject({
        enabled: true,
        cronExpr: "*/5 * * * *",
        handlerPath: "extensions.sync_oa_to_didi.job:SyncOAToDidiTokenJob",
        publicCfg: { base_url: "https://oa.example.com" },
        secretCfg: token,
        // 09:00 in Asia/Shanghai is 01:00 UTC.
        lastRunAt: new Date("2025-03-01T01:00:00Z"),
      });
      expect(new Fernet(key).decryptJson(job.secretCfg!)).toEqual({ rest_user: "u", rest_password: "p" });
      expect((await prisma.job.findUniqueOrThrow({ where: { id: "example.hello" } })).enabled).toBe(false);
      expect((await prisma.job.findUniqueOrThrow({ where: { id: "broken.cron" } })).enabled).toBe(false);

      const logs = await prisma.jobLog.findMany({ orderBy: { id: "asc" } });
      expect(logs.map((l) => [l.id, l.status, l.trigger])).toEqual([
        [1, "SUCCESS", "CRON"],
        [2, "FAILURE", "RETRY"],
        [3, "ABANDONED", "CRON"],
      ]);
      expect(logs[1]).toMatchObject({
        message: "HTTP 401",
        traceback: "Traceback (most recent call last):\n  ...\nHTTPError: 401",
        runLog: "WARNING 登录失败\n",
        runLogBytes: Buffer.byteLength("WARNING 登录失败\n"),
        queueJobId: "c0ffee-0002",
        attempt: 2,
        startedAt: new Date("2025-03-01T01:05:00Z"),
        finishedAt: new Date("2025-03-01T01:05:01Z"),
      });
      expect(logs[0]!.startedAt).toEqual(new Date("2025-03-01T01:00:00.250Z"));
      expect((logs[0]!.snapshotParams as { secret_cfg: string }).secret_cfg).toBe(token);
      const next = await prisma.jobLog.create({ data: { jobId: "example.hello", trigger: "MANUAL", snapshotParams: {} } });
      expect(next.id).toBe(4);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("refuses a second import (ids exist) and writes nothing", async () => {
    const prisma = createPrisma(target.url, 1);
    try {
      const before = await prisma.jobLog.count();
      const result = await runCli(["import-legacy", "--from", legacy.url], { DATABASE_URL: target.url, DATA_DIR: data.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("jobs already here: broken.cron, example.hello, oa.sync_members");
      expect(result.stderr).toContain("Nothing was imported");
      expect(await prisma.jobLog.count()).toBe(before);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("warns when the key file is not the original's", async () => {
    const other = tempDataDir();
    const empty = await createScratchDatabase("cli_legacy_dst2");
    try {
      writeFileSync(path.join(other.dir, "fernet.key"), generateFernetKey());
      const result = await runCli(["import-legacy", "--from", legacy.url, "--dry-run"], { DATABASE_URL: empty.url, DATA_DIR: other.dir });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("cannot decrypt the secret configs of: oa.sync_members");
    } finally {
      await empty.drop();
      other.cleanup();
    }
  });
});

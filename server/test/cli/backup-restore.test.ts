import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { Fernet, generateFernetKey } from "../../src/security/fernet.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { runCli, tempDataDir } from "./run-cli.ts";
import { seedInstallation, snapshotInstallation } from "./seed.ts";

type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

describe("connecthub backup / restore (server mode)", () => {
  const key = generateFernetKey();
  const original = tempDataDir();
  const fresh = tempDataDir();
  let from: Scratch;
  let wiped: Scratch;
  let archive: string;
  beforeAll(async () => {
    [from, wiped] = await Promise.all([createScratchDatabase("cli_backup_from"), createScratchDatabase("cli_backup_wiped")]);
    await migrate(from.url);
    await seedInstallation(from.url, key);
    writeFileSync(path.join(original.dir, "fernet.key"), key, { mode: 0o600 });
    archive = path.join(original.dir, "backup.jsonl.gz");
  });
  afterAll(async () => {
    await Promise.all([from.drop(), wiped.drop()]);
    original.cleanup();
    fresh.cleanup();
  });

  it("writes one archive holding the rows and the key, readable only by its owner", async () => {
    const result = await runCli(["backup", "--out", archive], { DATABASE_URL: from.url, DATA_DIR: original.dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^job_logs +2$/m);
    expect(result.stdout).toMatch(/^fernet key +included/m);
    expect(readdirSync(original.dir)).not.toContain("backup.jsonl.gz.partial");
    expect((await import("node:fs")).statSync(archive).mode & 0o077).toBe(0);
  });

  it("brings data and key back into an empty database and data dir; the secret decrypts with the restored key", async () => {
    const result = await runCli(["restore", archive], { DATABASE_URL: wiped.url, DATA_DIR: fresh.dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^fernet key +written to/m);
    expect(result.stdout).toContain("1 run(s) that were in flight at backup time are now ABANDONED");
    const restoredKey = readFileSync(path.join(fresh.dir, "fernet.key"), "utf8");
    expect(restoredKey).toBe(key);

    const before = await snapshotInstallation(from.url);
    const after = await snapshotInstallation(wiped.url);
    expect(after.jobs).toEqual(before.jobs);
    expect(after.fires).toEqual(before.fires);
    expect(after.users).toEqual(before.users);
    expect(after.tokens).toEqual(before.tokens);
    expect(after.logs[0]).toEqual(before.logs[0]);
    expect(after.logs[1]!.status).toBe("ABANDONED");
    const secret = after.jobs.find((j) => j.id === "oa.sync_members")!.secretCfg!;
    expect(new Fernet(restoredKey).decryptJson(secret)).toEqual({ token: "s3cret-token" });
  });

  it("keeps ids moving forward after a restore (sequences reset)", async () => {
    const { createPrisma } = await import("../../src/db/prisma.ts");
    const prisma = createPrisma(wiped.url, 1);
    try {
      const log = await prisma.jobLog.create({ data: { jobId: "example.hello", trigger: "MANUAL", snapshotParams: {} } });
      expect(log.id).toBe(3);
    } finally {
      await prisma.$disconnect();
    }
  });

  it("refuses a database that holds data unless --force", async () => {
    const refused = await runCli(["restore", archive], { DATABASE_URL: wiped.url, DATA_DIR: fresh.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("The database already holds data (users: 1, jobs: 2, job_logs: 3");
    const forced = await runCli(["restore", archive, "--force"], { DATABASE_URL: wiped.url, DATA_DIR: fresh.dir });
    expect(forced.code).toBe(0);
    expect((await snapshotInstallation(wiped.url)).logs).toHaveLength(2);
  });

  it("refuses to replace a different key file unless --force, and keeps the replaced one", async () => {
    const otherKey = generateFernetKey();
    const keyPath = path.join(fresh.dir, "fernet.key");
    writeFileSync(keyPath, otherKey);
    const refused = await runCli(["restore", archive], { DATABASE_URL: wiped.url, DATA_DIR: fresh.dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("The backup's Fernet key differs from");
    expect(readFileSync(keyPath, "utf8")).toBe(otherKey);
    const forced = await runCli(["restore", archive, "--force"], { DATABASE_URL: wiped.url, DATA_DIR: fresh.dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(keyPath, "utf8")).toBe(key);
    const kept = readdirSync(fresh.dir).find((f) => f.startsWith("fernet.key.replaced-"))!;
    expect(readFileSync(path.join(fresh.dir, kept), "utf8")).toBe(otherKey);
  });

  it("warns loudly when the backup has no key, and restore names the jobs whose secrets are lost", async () => {
    const noKey = path.join(original.dir, "no-key.jsonl.gz");
    const backup = await runCli(["backup", "--out", noKey, "--without-key"], { DATABASE_URL: from.url, DATA_DIR: original.dir });
    expect(backup.code).toBe(0);
    expect(backup.stderr).toContain("THIS BACKUP DOES NOT CONTAIN THE FERNET KEY");
    const elsewhere = tempDataDir();
    try {
      const restored = await runCli(["restore", noKey, "--force"], { DATABASE_URL: wiped.url, DATA_DIR: elsewhere.dir });
      expect(restored.code).toBe(0);
      expect(restored.stderr).toContain("THE BACKUP DID NOT CONTAIN A FERNET KEY");
      expect(restored.stderr).toContain("cannot decrypt the secrets of 1 job(s):\n!! oa.sync_members");
      expect(existsSync(path.join(elsewhere.dir, "fernet.key"))).toBe(false);
    } finally {
      elsewhere.cleanup();
    }
  });

  it("rejects a file cut short, restoring nothing", async () => {
    const { gunzipSync, gzipSync } = await import("node:zlib");
    const lines = gunzipSync(readFileSync(archive)).toString().trim().split("\n");
    const cut = path.join(original.dir, "cut.jsonl.gz");
    writeFileSync(cut, gzipSync(lines.slice(0, -1).join("\n") + "\n"));
    const empty = await createScratchDatabase("cli_backup_cut");
    try {
      const result = await runCli(["restore", cut], { DATABASE_URL: empty.url, DATA_DIR: fresh.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("cut short");
      expect((await snapshotInstallation(empty.url)).jobs).toEqual([]);
    } finally {
      await empty.drop();
    }
  });
});

describe("connecthub backup / restore (embedded mode)", () => {
  const first = tempDataDir();
  const second = tempDataDir();
  afterAll(() => {
    first.cleanup();
    second.cleanup();
  });

  it("round-trips through the embedded database, key included", async () => {
    const key = generateFernetKey();
    writeFileSync(path.join(first.dir, "fernet.key"), key);
    const archive = path.join(first.dir, "embedded.jsonl.gz");
    const exportFile = path.join(first.dir, "jobs.json");
    writeFileSync(
      exportFile,
      JSON.stringify({
        format: "connecthub-jobs",
        version: 1,
        exportedAt: new Date().toISOString(),
        jobs: [{ id: "embedded.job", handlerPath: "extensions.example.job:ExampleJob", cronExpr: "* * * * *", publicCfg: { name: "embedded" }, secretCfg: new Fernet(key).encryptJson({ a: 1 }) }],
      }),
    );
    expect((await runCli(["jobs", "import", exportFile], { DATA_DIR: first.dir })).code).toBe(0);
    const backup = await runCli(["backup", "--out", archive], { DATA_DIR: first.dir });
    expect(backup.stdout).toMatch(/^jobs +1$/m);
    const restore = await runCli(["restore", archive], { DATA_DIR: second.dir });
    // Only the embedded cluster's one-time notices ("connecthub: Created …"), no warning.
    expect(restore.stderr.replace(/^connecthub: .*\n/gm, "")).toBe("");
    expect(readFileSync(path.join(second.dir, "fernet.key"), "utf8")).toBe(key);
    const exported = await runCli(["jobs", "export"], { DATA_DIR: second.dir });
    const job = JSON.parse(exported.stdout).jobs[0];
    expect(job.id).toBe("embedded.job");
    expect(new Fernet(key).decryptJson(job.secretCfg)).toEqual({ a: 1 });
    // Four child processes each start the embedded PostgreSQL (seconds apiece on a busy machine): a generous limit, not a speed check.
  }, 300_000);
});

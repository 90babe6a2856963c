import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFernetKey } from "../../src/security/fernet.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { runCli, tempDataDir } from "./run-cli.ts";

describe("connecthub migrate", () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  const data = tempDataDir();
  beforeAll(async () => {
    db = await createScratchDatabase("connecthub_cli_migrate");
  });
  afterAll(async () => {
    await db.drop();
    data.cleanup();
  });

  it("applies pending migrations, prints them, and then has nothing to apply", async () => {
    const env = { DATABASE_URL: db.url, DATA_DIR: data.dir };
    const first = await runCli(["migrate"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^applied \d{14}_init$/m);
    const second = await runCli(["migrate"], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("nothing to apply");
  });
});

describe("connecthub doctor", () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>;
  let bare: Awaited<ReturnType<typeof createScratchDatabase>>;
  const data = tempDataDir();
  beforeAll(async () => {
    db = await createScratchDatabase("connecthub_cli_doctor");
    bare = await createScratchDatabase("connecthub_cli_doctor_bare");
    writeFileSync(path.join(data.dir, "fernet.key"), generateFernetKey(), { mode: 0o600 });
    expect((await runCli(["migrate"], { DATABASE_URL: db.url, DATA_DIR: data.dir })).code).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
    await bare.drop();
    data.cleanup();
  });

  it("prints OK for every check and exits 0 on a healthy installation", async () => {
    const result = await runCli(["doctor"], { DATABASE_URL: db.url, DATA_DIR: data.dir });
    for (const check of ["config", "key file", "database", "migrations", "secrets", "queue", "extensions"]) {
      expect(result.stdout).toMatch(new RegExp(`^OK +${check} `, "m"));
    }
    expect(result.stdout).not.toContain("FAIL");
    expect(result.code).toBe(0);
  });

  it("reports a bad variable as a FAIL line with a fix and exits non-zero", async () => {
    const result = await runCli(["doctor"], { DATABASE_URL: db.url, DATA_DIR: data.dir, TIMEZONE: "Mars/Olympus" });
    expect(result.stdout).toMatch(/^FAIL +config +TIMEZONE "Mars\/Olympus" is not a known IANA zone/m);
    expect(result.stdout).toMatch(/fix: correct that variable/);
    expect(result.code).toBe(1);
  });

  it("reports an unreachable database and a damaged key file, each with a fix", async () => {
    const broken = tempDataDir();
    writeFileSync(path.join(broken.dir, "fernet.key"), "not-a-key");
    try {
      const result = await runCli(["doctor"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none", DATA_DIR: broken.dir });
      expect(result.stdout).toMatch(/^FAIL +key file +Fernet key file .* cannot be used/m);
      expect(result.stdout).toMatch(/^FAIL +database /m);
      expect(result.stdout).toMatch(/fix: check DATABASE_URL/);
      expect(result.code).toBe(1);
    } finally {
      broken.cleanup();
    }
  });

  it("reports unapplied migrations with the command that applies them", async () => {
    const result = await runCli(["doctor"], { DATABASE_URL: bare.url, DATA_DIR: data.dir });
    expect(result.stdout).toMatch(/^FAIL +migrations +\d+ not applied: 20261123000000_init/m);
    expect(result.stdout).toContain("fix: run `connecthub migrate`");
    expect(result.code).toBe(1);
  });
});

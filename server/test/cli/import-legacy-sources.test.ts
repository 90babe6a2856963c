/**
 * The other sources a customer may have: the original's older PostgreSQL layout (native enum,
 * JSONB, naive timestamps, no run_log) with thousands of logs, and the SQLite file it used before
 * PostgreSQL. Keyset paging must read every log exactly once whatever the ids look like.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { Fernet } from "../../src/security/fernet.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { buildPostgresLegacy, buildSqliteLegacy, pythonKey, pythonTokens, sql } from "./legacy-database.ts";
import { ordinaryJobs, ordinaryLogs, SECRETS, startText } from "./legacy-dataset.ts";
import { runCli, tempDataDir } from "./run-cli.ts";

/** Each test runs the CLI as child processes; on a loaded two-core machine that takes a while. */
const CLI_TIMEOUT = 240_000;
vi.setConfig({ hookTimeout: CLI_TIMEOUT });
type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;
const shanghai = (text: string) => DateTime.fromSQL(text, { zone: "Asia/Shanghai" }).toJSDate();

const key = pythonKey();
const tokens = pythonTokens(key, SECRETS);

describe("import-legacy: the older PostgreSQL layout with 2,532 logs, ids with gaps across digit boundaries", { timeout: CLI_TIMEOUT }, () => {
  const data = tempDataDir();
  let legacy: Scratch;
  let target: Scratch;
  beforeAll(async () => {
    [legacy, target] = await Promise.all([createScratchDatabase("legacy_old_src"), createScratchDatabase("legacy_old_dst")]);
    writeFileSync(path.join(data.dir, "fernet.key"), key);
    await migrate(target.url);
    await buildPostgresLegacy(legacy.url, "postgres-older", ordinaryJobs(tokens, false), []);
    await sql(
      legacy.url,
      `INSERT INTO job_logs (id, job_id, status, snapshot_params, message, attempt, started_at, finished_at, created_at)
       SELECT g, (ARRAY['oa.sync_members', 'oa.export_form', 'hr.sync'])[1 + g % 3],
              (CASE WHEN g % 11 = 0 THEN 'FAILURE' ELSE 'SUCCESS' END)::jobstatus,
              jsonb_build_object('meta', jsonb_build_object('trigger', 'cron')), 'run ' || g, 0,
              timestamp '2025-01-01 00:00:00' + g * interval '1 minute', timestamp '2025-01-01 00:00:02' + g * interval '1 minute',
              timestamp '2025-01-01 00:00:00' + g * interval '1 minute'
       FROM generate_series(1, 10100) g
       WHERE g % 4 = 1 OR g IN (10, 99, 100, 999, 1000, 9999, 10000)`,
    );
  });
  afterAll(async () => {
    await Promise.all([legacy.drop(), target.drop()]);
    data.cleanup();
  });

  it("reads every log exactly once and keeps every id", async () => {
    const result = await runCli(["import-legacy", "--from", legacy.url], { DATABASE_URL: target.url, DATA_DIR: data.dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Imported 7 job(s) and 2532 job log(s)");
    expect(result.stdout).toContain("jobs.last_run_at, jobs.created_at, jobs.updated_at, job_logs.started_at, job_logs.finished_at, job_logs.created_at) were read as Asia/Shanghai");
    const ids = async (url: string) => (await sql<{ id: number }>(url, `SELECT id FROM job_logs ORDER BY id`)).map((r) => r.id);
    const source = await ids(legacy.url);
    expect(source.length).toBe(2532);
    expect(await ids(target.url)).toEqual(source);
    const [log] = await sql<{ status: string; run_log: string; message: string; started_at: Date }>(target.url, `SELECT * FROM job_logs WHERE id = 9999`);
    expect(log).toMatchObject({ status: "FAILURE", run_log: "", message: "run 9999", started_at: shanghai("2025-01-07 22:39:00") });
  });
});

describe("import-legacy: the original's SQLite file", { timeout: CLI_TIMEOUT }, () => {
  const data = tempDataDir();
  const file = path.join(data.dir, "connecthub.db");
  let target: Scratch;
  beforeAll(async () => {
    target = await createScratchDatabase("legacy_sqlite_dst");
    await migrate(target.url);
    const jobs = ordinaryJobs(tokens, false);
    jobs[6]!.enabled = null;
    await buildSqliteLegacy(file, jobs, ordinaryLogs(tokens, { queued: false, createdAt: true }));
  });
  afterAll(async () => {
    await target.drop();
    data.cleanup();
  });

  it("a plain file path is a SQLite source (dry run)", async () => {
    const result = await runCli(["import-legacy", "--from", file, "--dry-run", "--allow-undecryptable"], { DATABASE_URL: target.url, DATA_DIR: data.dir });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain(`Would import 7 job(s) and 54 job log(s) from ${file}`);
  });

  it("imports from sqlite:////<absolute path>, reading 0/1 booleans, text timestamps and JSON text", async () => {
    const keyFile = path.join(data.dir, "original.key");
    writeFileSync(keyFile, key);
    const result = await runCli(["import-legacy", "--from", `sqlite:///${file}`, "--key-file", keyFile], { DATABASE_URL: target.url, DATA_DIR: data.dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Imported 7 job(s) and 54 job log(s)");
    expect(result.stdout).toContain(`oa.export_form: "0 */4 * * * 0" → "0 */4 * * *"`);
    expect(result.stdout).toContain("enabled was NULL (the original never fired these), imported DISABLED: ops.cleanup");
    expect(result.stdout).toMatch(/Time precision: \d+ timestamp\(s\) had microseconds/);

    const jobs = await sql<{ id: string; enabled: boolean; last_run_at: Date | null; public_cfg: unknown; secret_cfg: string | null }>(target.url, `SELECT * FROM jobs`);
    const byId = Object.fromEntries(jobs.map((j) => [j.id, j]));
    expect(byId["example.hello"]!.enabled).toBe(false);
    expect(byId["oa.sync_members"]!.enabled).toBe(true);
    expect(byId["oa.sync_members"]!.last_run_at).toEqual(new Date("2025-03-01T01:00:00Z"));
    expect(byId["example.hello"]!.public_cfg).toEqual({ name: "Mars" });
    expect(new Fernet(key).decryptJson(byId["oa.export_form"]!.secret_cfg!)).toEqual(SECRETS[1]);

    const [log] = await sql<Record<string, unknown>>(target.url, `SELECT * FROM job_logs WHERE id = 7`);
    expect(log).toMatchObject({ status: "FAILURE", attempt: 1, run_log: "INFO run 7\nWARNING 登录失败\n", finished_at: shanghai(startText(7, "07")) });
    expect(log!.started_at).toEqual(new Date(shanghai(startText(7, "05")).getTime() + 250));
    expect(log!.created_at).toEqual(shanghai(startText(7, "05")));
    expect((log!.snapshot_params as { meta: unknown }).meta).toEqual({ trigger: "cron" });
  });
});

/**
 * `connecthub import-legacy` against databases of the Python ConnectHub built from its models
 * (current layout, the older one, SQLite), with secret tokens minted by Python's cryptography,
 * imported into server mode by the real CLI. Each case of issue #17's table is a test here.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { Fernet } from "../../src/security/fernet.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { buildPostgresLegacy, pythonKey, pythonTokens } from "./legacy-database.ts";
import { ordinaryJobs, ordinaryLogs, SECRETS, startText } from "./legacy-dataset.ts";
import { runCli, tempDataDir } from "./run-cli.ts";

/** Each test runs the CLI as child processes; on a loaded two-core machine that takes a while. */
const CLI_TIMEOUT = 240_000;
vi.setConfig({ hookTimeout: CLI_TIMEOUT });
type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
const count = async (url: string, table: string) => Number((await query<{ n: string }>(url, `SELECT count(*) AS n FROM ${table}`))[0]!.n);
/** The original's DB_URL as its env.example has it (SQLAlchemy's driver form). */
const asDbUrl = (url: string) => url.replace(/^postgresql:/, "postgresql+psycopg:");
const shanghai = (text: string) => DateTime.fromSQL(text, { zone: "Asia/Shanghai" }).toJSDate();

const key = pythonKey();
const tokens = pythonTokens(key, SECRETS);
const keyDir = tempDataDir();
const keyFile = path.join(keyDir.dir, "fernet.key");
/** The original's database, current layout, shared by the describes below (they only read it). */
let legacy: Scratch;
const scratch: Scratch[] = [];
const dataDirs: Array<ReturnType<typeof tempDataDir>> = [];

async function freshTarget(migrated = true): Promise<{ url: string; dataDir: string }> {
  const db = await createScratchDatabase("legacy_dst");
  scratch.push(db);
  if (migrated) await migrate(db.url);
  const data = tempDataDir();
  dataDirs.push(data);
  return { url: db.url, dataDir: data.dir };
}
const cli = (args: string[], target: { url: string; dataDir: string }) => runCli(["import-legacy", ...args], { DATABASE_URL: target.url, DATA_DIR: target.dataDir });

beforeAll(async () => {
  writeFileSync(keyFile, key + "\n");
  legacy = await createScratchDatabase("legacy_src");
  await buildPostgresLegacy(legacy.url, "postgres-current", ordinaryJobs(tokens, true), ordinaryLogs(tokens, { queued: true, createdAt: false }));
});
afterAll(async () => {
  await Promise.all([legacy.drop(), ...scratch.map((d) => d.drop())]);
  for (const d of [...dataDirs, keyDir]) d.cleanup();
});

describe("import-legacy: an ordinary database of the original, current layout, into server mode", { timeout: CLI_TIMEOUT }, () => {
  let target: { url: string; dataDir: string };
  let report = "";
  beforeAll(async () => {
    target = await freshTarget(false);
    await query(legacy.url.replace(/\/[^/]+$/, "/test"), `DROP DATABASE ${new URL(target.url).pathname.slice(1)}`);
  });

  it("a dry run creates the missing target database, reports, and writes neither rows nor the key", async () => {
    const result = await cli(["--from", asDbUrl(legacy.url), "--key-file", keyFile, "--dry-run"], target);
    expect(result.stderr).toContain("Created the database named by DATABASE_URL");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Would import 7 job(s) and 54 job log(s)");
    expect(await count(target.url, "jobs")).toBe(0);
    expect(existsSync(path.join(target.dataDir, "fernet.key"))).toBe(false);
  });

  it("imports all 7 jobs and the 54 logs with ids 1..54 on the first try, from the original's own DB_URL", async () => {
    const result = await cli(["--from", asDbUrl(legacy.url), "--key-file", keyFile], target);
    report = result.stdout;
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(report).toContain("Imported 7 job(s) and 54 job log(s)");
    const ids = (await query<{ id: number }>(target.url, `SELECT id FROM job_logs ORDER BY id`)).map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: 54 }, (_, i) => i + 1));
    const next = await query<{ id: number }>(target.url, `INSERT INTO job_logs (job_id, trigger, snapshot_params) VALUES ('oa.sync_members', 'MANUAL', '{}') RETURNING id`);
    expect(next[0]!.id).toBe(55);
    await query(target.url, `DELETE FROM job_logs WHERE id = 55`);
  });

  it("--key-file installs the original's key, and the Python-minted secrets decrypt with it", async () => {
    expect(readFileSync(path.join(target.dataDir, "fernet.key"), "utf8").trim()).toBe(key);
    expect(report).toContain(`the original's key was installed at ${path.join(target.dataDir, "fernet.key")}`);
    const jobs = await query<{ id: string; secret_cfg: string; last_run_at: Date }>(target.url, `SELECT id, secret_cfg, last_run_at FROM jobs`);
    const fernet = new Fernet(key);
    expect(fernet.decryptJson(jobs.find((j) => j.id === "oa.sync_members")!.secret_cfg)).toEqual(SECRETS[0]);
    expect(fernet.decryptJson(jobs.find((j) => j.id === "didi.legal_entity")!.secret_cfg)).toEqual(SECRETS[2]);
    expect(jobs.find((j) => j.id === "oa.sync_members")!.last_run_at).toEqual(new Date("2025-03-01T01:00:00Z"));
  });

  it("converts croniter's six-field expressions (seconds last) to ConnectHub's and lists each conversion", async () => {
    const rows = await query<{ id: string; cron_expr: string }>(target.url, `SELECT id, cron_expr FROM jobs`);
    const cron = Object.fromEntries(rows.map((j) => [j.id, j.cron_expr]));
    // Every 4 hours in the original, not every 4 minutes on Sundays.
    expect(cron["oa.export_form"]).toBe("0 */4 * * *");
    expect(cron["hr.sync"]).toBe("30 */10 * * * *");
    expect(cron["oa.sync_members"]).toBe("*/5 * * * *");
    expect(report).toContain(`oa.export_form: "0 */4 * * * 0" → "0 */4 * * *"`);
    expect(report).toContain(`hr.sync: "*/10 * * * * 30" → "30 */10 * * * *"`);
  });

  it("RUNNING and QUEUED runs become ABANDONED with no invented finish time, saying they were imported unfinished", async () => {
    const logs = await query<{ id: number; status: string; message: string; started_at: Date; finished_at: Date | null; created_at: Date }>(
      target.url,
      `SELECT id, status, message, started_at, finished_at, created_at FROM job_logs WHERE id IN (50, 51, 52) ORDER BY id`,
    );
    expect(logs.map((l) => [l.id, l.status, l.finished_at])).toEqual([[50, "ABANDONED", null], [51, "ABANDONED", null], [52, "ABANDONED", null]]);
    expect(logs[0]!.message).toContain("Imported unfinished: it was RUNNING");
    expect(logs[2]!.message).toContain("Imported unfinished: it was QUEUED");
    expect(report).toContain("3 log(s) were RUNNING or QUEUED in the original: recorded as ABANDONED without a finish time");
    expect(report).not.toContain("unknown status");
    // No started_at (and this layout has no created_at): the job's last_run_at, else the import time.
    expect(logs[0]!.started_at).toEqual(new Date("2025-03-01T01:00:00Z"));
    expect(logs[0]!.created_at).toEqual(logs[0]!.started_at);
    expect(report).toContain("the job's last_run_at used: log id(s) 50");
    expect(report).toContain("the import time used: log id(s) 51");
  });

  it("maps a log field by field; attempt 0 becomes 1 and the dropped microseconds are reported", async () => {
    const [log] = await query<Record<string, unknown>>(target.url, `SELECT * FROM job_logs WHERE id = 7`);
    expect(log).toMatchObject({
      job_id: "oa.export_form", status: "FAILURE", trigger: "CRON", message: "HTTP 401", traceback: "Traceback (most recent call last):\n  ...\nHTTPError: 401",
      run_log: "INFO run 7\nWARNING 登录失败\n", run_log_bytes: Buffer.byteLength("INFO run 7\nWARNING 登录失败\n"), queue_job_id: "c0ffee-7",
      attempt: 1, legacy_id: 7, finished_at: shanghai(startText(7, "07")),
    });
    // 05.250123 in the original: ConnectHub keeps milliseconds.
    expect(log!.started_at).toEqual(new Date(shanghai(startText(7, "05")).getTime() + 250));
    expect((log!.snapshot_params as { secret_cfg: string }).secret_cfg).toBe(tokens[0]);
    expect(report).toContain("attempt: 40 log(s) had attempt 0 or none");
    expect(report).toMatch(/Time precision: \d+ timestamp\(s\) had microseconds/);
  });

  it("keeps the retry link of a retried run", async () => {
    const [log] = await query<{ retry_of_id: number; trigger: string }>(target.url, `SELECT retry_of_id, trigger FROM job_logs WHERE id = 53`);
    expect(log).toEqual({ retry_of_id: 49, trigger: "RETRY" });
  });

  it("doctor passes the converted expressions and flags one copied by hand in croniter's form", async () => {
    const env = { DATABASE_URL: target.url, DATA_DIR: target.dataDir };
    const clean = await runCli(["doctor"], env);
    expect(clean.stdout).toMatch(/^OK +cron +7 cron expression\(s\), none read differently by croniter/m);
    await query(target.url, `INSERT INTO jobs (id, cron_expr, handler_path, updated_at) VALUES ('copied.by_hand', '0 */4 * * * 0', 'extensions.example.job:ExampleJob', now())`);
    const flagged = await runCli(["doctor"], env);
    expect(flagged.stdout).toContain(`WARN  cron`);
    expect(flagged.stdout).toContain(`copied.by_hand "0 */4 * * * 0" (croniter's reading: "0 */4 * * *")`);
    await query(target.url, `DELETE FROM jobs WHERE id = 'copied.by_hand'`);
  });

  it("a second import is refused, naming the jobs already here, and writes nothing", async () => {
    const result = await cli(["--from", legacy.url, "--key-file", keyFile], target);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("jobs already here: didi.legal_entity, example.hello, hr.sync");
    expect(await count(target.url, "job_logs")).toBe(54);
  });
});

describe("import-legacy: a target that already has a few trial runs", { timeout: CLI_TIMEOUT }, () => {
  let target: { url: string; dataDir: string };
  beforeAll(async () => {
    target = await freshTarget();
    writeFileSync(path.join(target.dataDir, "fernet.key"), key);
    await query(target.url, `INSERT INTO jobs (id, cron_expr, handler_path, updated_at) VALUES ('trial.job', '* * * * *', 'extensions.example.job:ExampleJob', now())`);
    await query(target.url, `INSERT INTO job_logs (job_id, trigger, snapshot_params, status) SELECT 'trial.job', 'MANUAL', '{}', 'SUCCESS' FROM generate_series(1, 3)`);
  });

  it("is refused with the way forward when log ids collide", async () => {
    const result = await cli(["--from", legacy.url], target);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("3 job log id(s) already used (first: 1, 2, 3)");
    expect(result.stderr).toContain("Pass --renumber-logs");
    expect(await count(target.url, "job_logs")).toBe(3);
  });

  it("--renumber-logs gives the imported runs new ids, records the legacy id and keeps retry links", async () => {
    const result = await cli(["--from", legacy.url, "--renumber-logs"], target);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("each log's new id is its original id + 3");
    const rows = await query<{ id: number; legacy_id: number | null; job_id: string; retry_of_id: number | null }>(
      target.url,
      `SELECT id, legacy_id, job_id, retry_of_id FROM job_logs ORDER BY id`,
    );
    expect(rows.slice(0, 3).map((r) => [r.id, r.legacy_id, r.job_id])).toEqual([[1, null, "trial.job"], [2, null, "trial.job"], [3, null, "trial.job"]]);
    expect(rows.slice(3).map((r) => [r.id, r.legacy_id])).toEqual(Array.from({ length: 54 }, (_, i) => [i + 4, i + 1]));
    expect(rows.find((r) => r.legacy_id === 53)!.retry_of_id).toBe(52); // legacy 49 + 3
  });
});

describe("import-legacy: the key", { timeout: CLI_TIMEOUT }, () => {
  it("refuses, writing nothing, when the key file in place is not the original's", async () => {
    const target = await freshTarget();
    writeFileSync(path.join(target.dataDir, "fernet.key"), pythonKey());
    const result = await cli(["--from", legacy.url], target);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The Fernet key in ${path.join(target.dataDir, "fernet.key")} cannot decrypt the secret configs of 3 job(s)`);
    expect(result.stderr).toContain("--key-file");
    expect(await count(target.url, "jobs")).toBe(0);
  });

  it("--key-file is refused when the key in place already protects secrets here", async () => {
    const target = await freshTarget();
    const ownKey = pythonKey();
    writeFileSync(path.join(target.dataDir, "fernet.key"), ownKey);
    const [own] = pythonTokens(ownKey, [{ token: "mine" }]);
    await query(target.url, `INSERT INTO jobs (id, cron_expr, handler_path, secret_cfg, updated_at) VALUES ('own.job', '* * * * *', 'extensions.example.job:ExampleJob', $1, now())`, [own]);
    const result = await cli(["--from", legacy.url, "--key-file", keyFile], target);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--key-file holds a different key from ${path.join(target.dataDir, "fernet.key")}, which already protects the secrets of 1 job(s) here (own.job)`);
    expect(readFileSync(path.join(target.dataDir, "fernet.key"), "utf8")).toBe(ownKey);
    expect(await count(target.url, "jobs")).toBe(1);
  });

  it("refuses when there is no key at all, and imports with --allow-undecryptable, listing the jobs", async () => {
    const target = await freshTarget();
    const refused = await cli(["--from", legacy.url], target);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("There is no Fernet key here to decrypt the secret configs of 3 job(s)");
    const allowed = await cli(["--from", legacy.url, "--allow-undecryptable"], target);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("imported with --allow-undecryptable, the key cannot decrypt them (re-enter, or install the original's key): didi.legal_entity, oa.export_form, oa.sync_members");
    expect(await count(target.url, "jobs")).toBe(7);
  });
});

describe("import-legacy: into embedded mode (no DATABASE_URL)", { timeout: CLI_TIMEOUT }, () => {
  it("imports into the embedded database under DATA_DIR, with the original's key installed", async () => {
    const data = tempDataDir();
    dataDirs.push(data);
    const env = { DATA_DIR: data.dir };
    const result = await runCli(["import-legacy", "--from", asDbUrl(legacy.url), "--key-file", keyFile], env);
    // Only the embedded cluster's first-start notices, no warning.
    expect(result.stderr.replace(/^connecthub: (Created the embedded PostgreSQL|Let the "postgres" user) .*\n/gm, "")).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Imported 7 job(s) and 54 job log(s)");
    // Read back through the CLI, so this holds whatever engine serves the embedded database.
    const doctor = await runCli(["doctor"], env);
    expect(doctor.stdout).toContain("3 job(s) with secrets, all decrypt with the key");
    const again = await runCli(["import-legacy", "--from", legacy.url, "--dry-run"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("jobs already here: didi.legal_entity, example.hello, hr.sync");
  });
});

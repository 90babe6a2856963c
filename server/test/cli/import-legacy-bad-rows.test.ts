/**
 * Rows of the original that cannot be imported as they are: each is named (table, id, column);
 * --strict imports nothing, otherwise they are skipped and listed. NULL enabled and a truncated
 * token are not bad rows: they have a defined reading, reported.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { buildPostgresLegacy, pythonKey, pythonTokens, sql, type LegacyJobRow, type LegacyLogRow } from "./legacy-database.ts";
import { runCli, tempDataDir } from "./run-cli.ts";
import { writeFileSync } from "node:fs";
import path from "node:path";

/** Each test runs the CLI as child processes; on a loaded two-core machine that takes a while. */
const CLI_TIMEOUT = 240_000;
vi.setConfig({ hookTimeout: CLI_TIMEOUT });
type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

const job = (id: string, extra: Partial<LegacyJobRow> = {}): LegacyJobRow => ({
  id, enabled: true, cron_expr: "*/5 * * * *", handler_path: "extensions.example.job:ExampleJob", public_cfg: "{}", secret_cfg: null,
  last_run_at: null, created_at: "2025-01-10 08:00:00", updated_at: "2025-01-10 08:00:00", ...extra,
});
const log = (id: number, jobId: string, extra: Partial<LegacyLogRow> = {}): LegacyLogRow => ({
  id, job_id: jobId, status: "SUCCESS", snapshot_params: `{"meta": {"trigger": "cron"}}`, message: "ok", traceback: null, run_log: "",
  celery_task_id: null, attempt: 1, started_at: "2025-03-01 09:00:00", finished_at: "2025-03-01 09:00:01", ...extra,
});

describe("import-legacy: bad rows", { timeout: CLI_TIMEOUT }, () => {
  const key = pythonKey();
  const [token] = pythonTokens(key, [{ rest_user: "u" }]);
  const data = tempDataDir();
  let legacy: Scratch;
  let target: Scratch;
  const env = () => ({ DATABASE_URL: target.url, DATA_DIR: data.dir });
  let report = "";

  beforeAll(async () => {
    [legacy, target] = await Promise.all([createScratchDatabase("legacy_bad_src"), createScratchDatabase("legacy_bad_dst")]);
    writeFileSync(path.join(data.dir, "fernet.key"), key);
    await migrate(target.url);
    await buildPostgresLegacy(
      legacy.url,
      "postgres-current",
      [
        job("ok.job", { secret_cfg: token! }),
        job("broken.handler", { handler_path: null }),
        job("null.enabled", { enabled: null }),
        job("truncated.secret", { secret_cfg: token!.slice(0, 60) }),
      ],
      [
        log(1, "ok.job"),
        log(2, "ok.job"),
        log(3, "broken.handler"),
        log(4, "gone.job"),
        log(5, "null.enabled"),
      ],
    );
    // Stored as the original's json column holds it (json_populate_recordset cannot carry \u0000).
    await sql(legacy.url, `UPDATE job_logs SET snapshot_params = $1::json WHERE id = 2`, [`{"public_cfg": {"name": "a\\u0000b"}}`]);
  });
  afterAll(async () => {
    await Promise.all([legacy.drop(), target.drop()]);
    data.cleanup();
  });

  it("--strict names every bad row and imports nothing", async () => {
    const result = await runCli(["import-legacy", "--from", legacy.url, "--strict"], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--strict: 2 row(s) of the source cannot be imported as they are. Nothing was imported.");
    expect(result.stderr).toContain("jobs id broken.handler, column handler_path: is empty: there is no code to run");
    expect(result.stderr).toContain("job_logs id 2, column snapshot_params: contains \\u0000");
    expect(result.stderr).not.toContain("TypeError");
    expect(await sql(target.url, `SELECT id FROM jobs`)).toEqual([]);
  });

  it("without --strict skips and lists them, and imports the rest", async () => {
    const result = await runCli(["import-legacy", "--from", legacy.url], env());
    report = result.stdout;
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Imported 3 job(s) and 2 job log(s)");
    expect(result.stdout).toContain("SKIPPED: 2 bad row(s)");
    expect(result.stdout).toContain("  jobs id broken.handler, column handler_path:");
    expect(result.stdout).toContain("  job_logs id 2, column snapshot_params:");
    expect(result.stdout).toContain("SKIPPED: log(s) of jobs skipped below: 3");
    expect(result.stdout).toContain("SKIPPED: log(s) whose job is not in the source: 4");
    const logs = await sql<{ id: number }>(target.url, `SELECT id FROM job_logs ORDER BY id`);
    expect(logs.map((l) => l.id)).toEqual([1, 5]);
  });

  it("a NULL enabled is imported disabled (the original never fired it), and reported", async () => {
    const [row] = await sql<{ enabled: boolean }>(target.url, `SELECT enabled FROM jobs WHERE id = 'null.enabled'`);
    expect(row!.enabled).toBe(false);
    expect(report).toContain("enabled was NULL (the original never fired these), imported DISABLED: null.enabled");
  });

  it("a truncated token is reported as truncated, not blamed on the key", async () => {
    expect(report).toContain("the token is truncated in the source (no key can decrypt it; re-enter the secret config): truncated.secret");
    expect(report).not.toContain("the key cannot decrypt");
  });
});

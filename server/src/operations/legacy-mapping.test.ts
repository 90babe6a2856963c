import { describe, expect, it } from "vitest";
import { isConvertedCron, legacyInstant, mapLegacyJob, mapLegacyLog, type LogContext } from "./legacy-mapping.ts";
import { emptyReport } from "./legacy-report.ts";

const ZONE = "Asia/Shanghai";
const NOW = new Date("2026-01-01T00:00:00Z");
const job = { id: "a.b", enabled: "1", cron_expr: "*/5 * * * *", handler_path: "extensions.example.job:ExampleJob", public_cfg: "{}", secret_cfg: null, last_run_at: null, created_at: null };
const context = (jobLastRunAt: Record<string, string | null> = {}): LogContext => ({
  zone: ZONE, now: NOW, jobLastRunAt: new Map(Object.entries(jobLastRunAt)), newId: (id) => id, imported: new Set(),
});
const log = { id: "9", job_id: "a.b", status: "SUCCESS", snapshot_params: null, message: null, traceback: null, run_log: null, celery_task_id: null, attempt: "0", started_at: null, finished_at: null, created_at: null };

describe("reading the original's values", () => {
  it("reads PostgreSQL's and SQLite's timestamp text alike, naive as wall-clock time in the zone", () => {
    const report = emptyReport("src", ZONE);
    expect(legacyInstant("2025-03-01T09:00:00.25", ZONE, "c", report)).toBe("2025-03-01T01:00:00.250Z");
    expect(legacyInstant("2025-03-01 09:00:00.250000", ZONE, "c", report)).toBe("2025-03-01T01:00:00.250Z");
    expect(legacyInstant("2025-03-01T01:00:00+00:00", ZONE, "c", report)).toBe("2025-03-01T01:00:00.000Z");
    expect(report.subMillisecond).toBe(0);
    expect(legacyInstant("2025-03-01 09:00:00.250123", ZONE, "c", report)).toBe("2025-03-01T01:00:00.250Z");
    expect(report.subMillisecond).toBe(1);
  });

  it("integer booleans of SQLite, and NULL enabled imported disabled and reported", () => {
    const report = emptyReport("src", ZONE);
    expect(mapLegacyJob({ ...job, enabled: "0" }, ZONE, NOW, report)?.enabled).toBe(false);
    expect(mapLegacyJob({ ...job, enabled: "true" }, ZONE, NOW, report)?.enabled).toBe(true);
    expect(mapLegacyJob({ ...job, enabled: null }, ZONE, NOW, report)?.enabled).toBe(false);
    expect(report.enabledNull).toEqual(["a.b"]);
  });

  it("names a bad row by table, id and column instead of throwing", () => {
    const report = emptyReport("src", ZONE);
    expect(mapLegacyJob({ ...job, handler_path: null }, ZONE, NOW, report)).toBeNull();
    expect(mapLegacyLog({ ...log, started_at: "yesterday" }, context(), report)).toBeNull();
    expect(report.badRows.map((r) => [r.table, r.id, r.column])).toEqual([["jobs", "a.b", "handler_path"], ["job_logs", "9", "started_at"]]);
  });

  it("a converted job says so in its description, which marks its expression as already converted", () => {
    const mapped = mapLegacyJob({ ...job, cron_expr: "*/10 * * * * 30" }, ZONE, NOW, emptyReport("src", ZONE))!;
    expect(mapped.cron_expr).toBe("30 */10 * * * *");
    expect(isConvertedCron(mapped.description as string, "30 */10 * * * *")).toBe(true);
    expect(isConvertedCron(mapped.description as string, "31 */10 * * * *")).toBe(false);
  });

  it("a log without started_at takes finished_at, else the job's last_run_at, else the import time", () => {
    const report = emptyReport("src", ZONE);
    expect(mapLegacyLog({ ...log, finished_at: "2025-03-01 09:00:00" }, context(), report)?.started_at).toBe("2025-03-01T01:00:00.000Z");
    expect(mapLegacyLog({ ...log, id: "10" }, context({ "a.b": "2025-02-01T00:00:00.000Z" }), report)?.started_at).toBe("2025-02-01T00:00:00.000Z");
    expect(mapLegacyLog({ ...log, id: "11" }, context(), report)?.started_at).toBe(NOW.toISOString());
    expect(report.startedAtFrom).toEqual({ finishedAt: [9], lastRunAt: [10], importTime: [11] });
    expect(report.attemptRaised).toBe(3);
  });
});

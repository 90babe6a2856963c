import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import { enqueueSlot } from "../../src/scheduler/fire-slot.ts";
import { createApiToken } from "../../src/security/auth/index.ts";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { bearer, postGraphql, startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";
import { freePort } from "./free-port.ts";
import { sample, scrape } from "./scrape.ts";

let f: ApiFixture;
let metricsPort: number;
beforeAll(async () => {
  metricsPort = await freePort();
  f = await startApiFixture({ EXTENSION_ROOTS: TEST_JOBS_ROOT, METRICS_JOB_LABELS: "true", METRICS_PORT: String(metricsPort) });
  const jobs = [
    { id: "m.ok", cronExpr: "0 3 * * *", handlerPath: "test_jobs.behaviours:EchoJob" },
    { id: "m.fail", cronExpr: "0 3 * * *", handlerPath: "test_jobs.behaviours:FailWithCauseJob" },
    { id: "m.cron", cronExpr: "* * * * *", handlerPath: "test_jobs.behaviours:EchoJob" },
  ];
  for (const j of jobs) await f.app.runtime.prisma.job.create({ data: { ...j, enabled: j.id === "m.cron", publicCfg: {} } });
});
afterAll(async () => {
  await f?.close();
});

const metricsUrl = () => `${f.baseUrl}/metrics`;
const adminScrape = () => scrape(metricsUrl(), bearer(f.tokens.ADMIN));

async function ended(logId: number): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const log = await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } });
    if (!["QUEUED", "RUNNING"].includes(log.status)) return log.status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${logId} did not end`);
}

describe("GET /metrics", () => {
  it("answers an admin or a metrics-scoped token, and refuses anonymous and other callers", async () => {
    expect((await fetch(metricsUrl())).status).toBe(401);
    expect((await fetch(metricsUrl(), { headers: bearer(f.tokens.VIEWER) })).status).toBe(403);
    const scoped = (await createApiToken(f.app.runtime.prisma, "prometheus", "VIEWER", { scopes: ["metrics"] })).token;
    const text = await scrape(metricsUrl(), bearer(scoped));
    expect(text).toContain("# TYPE connecthub_runs_finished_total counter");
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(await adminScrape()).toContain("connecthub_runs_active");
  });

  it("serves METRICS_PORT without credentials on 127.0.0.1 only", async () => {
    const text = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(text).toContain("connecthub_runs_finished_total");
    expect((await fetch(`http://127.0.0.1:${metricsPort}/graphql`)).status).toBe(404);
  });

  it("counts a SUCCESS and a FAILURE in their own series, with duration, and no lateness for manual runs", async () => {
    const before = await adminScrape();
    const ok = await enqueueRun(f.app.runtime, { kind: "job", jobId: "m.ok", trigger: "MANUAL" });
    const bad = await enqueueRun(f.app.runtime, { kind: "job", jobId: "m.fail", trigger: "MANUAL" });
    expect(await ended(ok.id)).toBe("SUCCESS");
    expect(await ended(bad.id)).toBe("FAILURE");
    const after = await adminScrape();
    const finished = (text: string, job: string, status: string) => sample(text, "connecthub_runs_finished_total", { job, status, trigger: "MANUAL" });
    expect(finished(after, "m.ok", "SUCCESS") - finished(before, "m.ok", "SUCCESS")).toBe(1);
    expect(finished(after, "m.fail", "FAILURE") - finished(before, "m.fail", "FAILURE")).toBe(1);
    expect(finished(after, "m.fail", "SUCCESS")).toBe(0);
    expect(sample(after, "connecthub_run_duration_seconds_count", { job: "m.fail" })).toBe(1);
    expect(sample(after, "connecthub_schedule_lateness_seconds_count", { job: "m.ok" })).toBe(0);
    expect(sample(after, "connecthub_queue_claim_latency_seconds_count")).toBeGreaterThanOrEqual(2);
  });

  it("observes schedule lateness for a scheduled run", async () => {
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await enqueueSlot(f.app.runtime, "m.cron", "CRON", slot, "FIRED");
    const run = await f.app.runtime.prisma.jobLog.findFirstOrThrow({ where: { jobId: "m.cron", scheduledAt: slot } });
    expect(await ended(run.id)).toBe("SUCCESS");
    const text = await adminScrape();
    expect(sample(text, "connecthub_schedule_lateness_seconds_count", { job: "m.cron" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "connecthub_runs_finished_total", { job: "m.cron", status: "SUCCESS", trigger: "CRON" })).toBeGreaterThanOrEqual(1);
  });

  it("reads QUEUED runs from the database at scrape time", async () => {
    await f.app.runtime.prisma.jobLog.create({ data: { jobId: "m.ok", trigger: "MANUAL", snapshotParams: {}, status: "QUEUED", scheduledAt: new Date(Date.now() + 3_600_000) } });
    const text = await adminScrape();
    expect(sample(text, "connecthub_runs_active", { status: "QUEUED" })).toBeGreaterThanOrEqual(1);
  });

  it("counts GraphQL operations by name and outcome", async () => {
    const before = await adminScrape();
    await postGraphql(f.baseUrl, "query MetricsProbe { serverInfo { name } }", {}, bearer(f.tokens.ADMIN));
    const denied = await postGraphql(f.baseUrl, 'mutation MetricsDenied { deleteJob(id: "m.ok") { __typename } }', {}, bearer(f.tokens.VIEWER));
    expect(denied.json.errors?.length).toBeGreaterThan(0);
    const after = await adminScrape();
    const ops = (text: string, operation: string, type: string, outcome: string) => sample(text, "connecthub_graphql_operations_total", { operation, type, outcome });
    expect(ops(after, "MetricsProbe", "query", "success") - ops(before, "MetricsProbe", "query", "success")).toBe(1);
    expect(ops(after, "MetricsDenied", "mutation", "error") - ops(before, "MetricsDenied", "mutation", "error")).toBe(1);
    expect(ops(after, "MetricsDenied", "mutation", "success")).toBe(0);
    expect(sample(after, "connecthub_graphql_operation_duration_seconds_count", { operation: "MetricsProbe" })).toBeGreaterThanOrEqual(1);
  });

  it("gives a worker-only process its own METRICS_PORT listener", async () => {
    const port = await freePort();
    // Its own database: a worker on the fixture's would claim the other tests' runs.
    const db = await createScratchDatabase("connecthub_metrics_worker");
    const data = tempDataDir();
    const worker = await startApp({ DATABASE_URL: db.url, DATA_DIR: data.dir, METRICS_PORT: String(port) }, "worker");
    try {
      expect(worker.port).toBeNull();
      const text = await scrape(`http://127.0.0.1:${port}/metrics`);
      expect(text).toContain("connecthub_runs_active");
      expect(text).toContain("nodejs_eventloop_lag_seconds");
    } finally {
      await worker.stop();
      await db.drop();
      data.cleanup();
    }
  });
});

import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { bearer, postGraphql, startApiFixture, type ApiFixture } from "./api-harness.ts";

// The dashboard's figures over real runs (executed by the app's own worker) and over runs stored
// with known times and durations, so every number below is worked out by hand.

let f: ApiFixture;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let sleeperRun: number;
let dateFireAt: Date;

const gql = async (query: string, variables: Record<string, unknown> = {}, token = f.tokens.VIEWER) => {
  const res = await postGraphql(f.baseUrl, query, variables, bearer(token));
  if (res.json.errors) throw new Error(JSON.stringify(res.json.errors));
  return res.json.data;
};

async function runNow(jobId: string): Promise<number> {
  const data = await gql(`mutation($id: String!) { runNow(jobId: $id) { __typename ... on MutationRunNowSuccess { data { id } } } }`, { id: jobId }, f.tokens.OPERATOR);
  return data.runNow.data.id;
}

/** Polls the run's row until it reaches `wanted` (expect.poll only works inside a test). */
async function waitForStatus(id: number, wanted: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const status = (await f.app.runtime.prisma.jobLog.findUnique({ where: { id } }))?.status;
    if (status === wanted) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} did not reach ${wanted}`);
}

beforeAll(async () => {
  f = await startApiFixture({ EXTENSION_ROOTS: TEST_JOBS_ROOT });
  const prisma = f.app.runtime.prisma;
  const now = Date.now();
  // Jobs that only run when asked (disabled: the dispatcher never fires them during the test).
  const manual = { enabled: false, cronExpr: "0 3 * * *", publicCfg: {} };
  await prisma.job.createMany({
    data: [
      { id: "dash.echo", handlerPath: "test_jobs.behaviours:EchoJob", ...manual },
      { id: "dash.broken", handlerPath: "test_jobs.behaviours:FailWithCauseJob", ...manual },
      { id: "dash.sleeper", handlerPath: "test_jobs.behaviours:SleepJob", ...manual, publicCfg: { ms: 120_000 } },
      { id: "dash.history", handlerPath: "test_jobs.behaviours:EchoJob", ...manual },
    ],
  });
  // Enabled jobs for the next fires: one date two days ahead, one yearly cron (1 January, 00:00).
  dateFireAt = new Date(Math.ceil((now + 2 * DAY) / 60_000) * 60_000);
  await prisma.job.create({ data: { id: "dash.once", triggerType: "DATE", startAt: dateFireAt, handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: {} } });
  await prisma.job.create({ data: { id: "dash.yearly", cronExpr: "0 0 1 1 *", handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: {} } });

  // Stored history of dash.history, 2 hours ago: 20 finished runs lasting 1 s … 20 s (16 succeeded,
  // the 4 longest failed) and one abandoned run without times; 3 days ago: 2 failed runs of 100 s;
  // 10 days ago: 5 cancelled runs (outside both windows).
  const at = (ago: number) => new Date(now - ago);
  const finished = Array.from({ length: 20 }, (_, i) => {
    const started = at(2 * HOUR);
    return { jobId: "dash.history", trigger: "MANUAL" as const, snapshotParams: {}, status: i < 16 ? ("SUCCESS" as const) : ("FAILURE" as const), createdAt: started, startedAt: started, finishedAt: new Date(started.getTime() + (i + 1) * 1000) };
  });
  const older = Array.from({ length: 2 }, () => ({ jobId: "dash.history", trigger: "CRON" as const, snapshotParams: {}, status: "FAILURE" as const, createdAt: at(3 * DAY), startedAt: at(3 * DAY), finishedAt: new Date(now - 3 * DAY + 100_000) }));
  const ancient = Array.from({ length: 5 }, () => ({ jobId: "dash.history", trigger: "CRON" as const, snapshotParams: {}, status: "CANCELLED" as const, createdAt: at(10 * DAY) }));
  await prisma.jobLog.createMany({
    data: [...finished, { jobId: "dash.history", trigger: "CRON", snapshotParams: {}, status: "ABANDONED", createdAt: at(2 * HOUR) }, ...older, ...ancient],
  });
  // A run planned ahead of its slot (an hour from now): QUEUED, but not waiting for a worker yet.
  await prisma.jobLog.create({ data: { jobId: "dash.echo", trigger: "CRON", snapshotParams: {}, status: "QUEUED", scheduledAt: at(-HOUR) } });

  // Real runs through the queue and the worker: two succeed, one fails, one keeps running.
  for (const id of [await runNow("dash.echo"), await runNow("dash.echo")]) await waitForStatus(id, "SUCCESS");
  await waitForStatus(await runNow("dash.broken"), "FAILURE");
  sleeperRun = await runNow("dash.sleeper");
  await waitForStatus(sleeperRun, "RUNNING");
}, 120_000);

afterAll(async () => {
  if (sleeperRun) await gql(`mutation($id: Int!) { cancelRun(logId: $id) { __typename } }`, { id: sleeperRun }, f.tokens.OPERATOR).catch(() => undefined);
  await f?.close();
});

const QUERY = `query($window: DashboardWindow) { dashboard(window: $window) {
  window since until
  statusCounts { status count }
  buckets { start counts { status count } }
  jobStats { jobId runs succeeded failed failureRate p95DurationMs maxDurationMs }
  slowestJobs(count: 2) { jobId p95DurationMs }
  mostFailingJobs { jobId failed failureRate }
  active { running queued planned }
  workersAlive
  workers { workerId host pid role runSlots runningRuns lastHeartbeatAt startedAt stoppingSince }
  nextFires(count: 10) { jobId at }
} }`;

type Count = { status: string; count: number };
const asMap = (counts: Count[]) => Object.fromEntries(counts.map((c) => [c.status, c.count]));

describe("dashboard", () => {
  it("counts the last 24 hours' runs by status, per hour, and per job with failure rate and p95", async () => {
    const d = (await gql(QUERY, { window: "LAST_24H" })).dashboard;
    expect(d.window).toBe("LAST_24H");
    expect(new Date(d.until).getTime() - new Date(d.since).getTime()).toBe(DAY);
    // 16 + 2 real successes; 4 + 1 real failures; the abandoned one; the sleeper; the planned run.
    expect(asMap(d.statusCounts)).toEqual({ SUCCESS: 18, FAILURE: 5, ABANDONED: 1, RUNNING: 1, QUEUED: 1 });
    // 25 hourly buckets (the first one partial) that add up to the totals.
    expect(d.buckets).toHaveLength(25);
    const summed: Record<string, number> = {};
    for (const b of d.buckets) for (const c of b.counts as Count[]) summed[c.status] = (summed[c.status] ?? 0) + c.count;
    expect(summed).toEqual(asMap(d.statusCounts));

    const history = d.jobStats.find((s: { jobId: string }) => s.jobId === "dash.history");
    // p95 of 1 s … 20 s interpolated: 19 s + 0.05 × 1 s. The abandoned run has no duration.
    expect(history).toEqual({ jobId: "dash.history", runs: 21, succeeded: 16, failed: 5, failureRate: 5 / 21, p95DurationMs: 19_050, maxDurationMs: 20_000 });
    const broken = d.jobStats.find((s: { jobId: string }) => s.jobId === "dash.broken");
    expect(broken).toMatchObject({ runs: 1, succeeded: 0, failed: 1, failureRate: 1 });
    const echo = d.jobStats.find((s: { jobId: string }) => s.jobId === "dash.echo");
    expect(echo).toMatchObject({ runs: 3, succeeded: 2, failed: 0, failureRate: 0 });
    expect(d.jobStats.find((s: { jobId: string }) => s.jobId === "dash.sleeper")).toMatchObject({ runs: 1, failureRate: null, p95DurationMs: null });

    expect(d.slowestJobs[0]).toEqual({ jobId: "dash.history", p95DurationMs: 19_050 });
    expect(d.slowestJobs).toHaveLength(2);
    expect(d.mostFailingJobs).toEqual([
      { jobId: "dash.history", failed: 5, failureRate: 5 / 21 },
      { jobId: "dash.broken", failed: 1, failureRate: 1 },
    ]);
  });

  it("widens to 7 days by day in the server's zone, leaving older runs out", async () => {
    const d = (await gql(QUERY, { window: "LAST_7D" })).dashboard;
    expect(asMap(d.statusCounts)).toEqual({ SUCCESS: 18, FAILURE: 7, ABANDONED: 1, RUNNING: 1, QUEUED: 1 });
    expect(d.buckets).toHaveLength(8);
    // Buckets start at midnight in Asia/Shanghai (the default TIMEZONE): 16:00 UTC.
    for (const b of d.buckets.slice(1)) expect(new Date(b.start).getUTCHours()).toBe(16);
    const history = d.jobStats.find((s: { jobId: string }) => s.jobId === "dash.history");
    // 22 durations: 1 s … 20 s, 100 s, 100 s; p95 sits between the 20th and 21st: 20 s + 0.95 × 80 s.
    expect(history).toMatchObject({ runs: 23, succeeded: 16, failed: 7, failureRate: 7 / 23, p95DurationMs: 96_000, maxDurationMs: 100_000 });
  });

  it("shows what runs now, the worker running it, and the next fires across enabled jobs", async () => {
    const d = (await gql(QUERY)).dashboard;
    expect(d.window).toBe("LAST_24H");
    expect(d.active).toEqual({ running: 1, queued: 0, planned: 1 });
    // The app's own worker (role all), from its presence row; its running run from the runs.
    expect(d.workersAlive).toBe(1);
    expect(d.workers).toEqual([
      {
        workerId: f.app.runtime.instanceId,
        host: os.hostname(),
        pid: process.pid,
        role: "all",
        runSlots: f.app.runtime.config.WORKER_CONCURRENCY,
        runningRuns: 1,
        lastHeartbeatAt: expect.any(String),
        startedAt: expect.any(String),
        stoppingSince: null,
      },
    ]);
    expect(d.nextFires).toHaveLength(10);
    expect(d.nextFires[0]).toEqual({ jobId: "dash.once", at: dateFireAt.toISOString() });
    expect(d.nextFires.slice(1).every((fire: { jobId: string }) => fire.jobId === "dash.yearly")).toBe(true);
    const years = d.nextFires.slice(1).map((fire: { at: string }) => new Date(fire.at).getUTCFullYear());
    expect(new Set(years).size).toBe(9);
  });

  it("refuses counts out of range and is readable by a viewer only when logged in", async () => {
    const res = await postGraphql(f.baseUrl, `{ dashboard { nextFires(count: 51) { jobId } } }`, {}, bearer(f.tokens.VIEWER));
    expect(res.json.errors?.[0]?.message).toContain("count must be between 1 and 50");
    const anonymous = await postGraphql(f.baseUrl, `{ dashboard { active { running } } }`);
    expect(anonymous.json.data?.dashboard ?? null).toBeNull();
  });
});

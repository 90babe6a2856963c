import { readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { enqueueRun, requestCancel } from "../../src/execution/index.ts";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { ensureAdminBuilt, launchBrowser, screenshot } from "./admin-browser.ts";

// The dashboard (the admin's home) and the run log viewer, in a real Chromium against the real app,
// in Chinese and in English. Runs are real (the app's worker executes them) plus stored history.

const ADMIN_PASSWORD = "admin-dash-password";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let app: Awaited<ReturnType<typeof startApp>>;
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let dataDir: ReturnType<typeof tempDataDir>;
let browser: Browser;
let sleeperRun: number;
let echoRun: number;
let brokenRun: number;
const pageErrors: string[] = [];

async function waitForStatus(id: number, wanted: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await app.runtime.prisma.jobLog.findUnique({ where: { id } }))?.status === wanted) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} did not reach ${wanted}`);
}

async function runNow(jobId: string): Promise<number> {
  return (await enqueueRun(app.runtime, { kind: "job", jobId, trigger: "MANUAL" })).id;
}

beforeAll(async () => {
  ensureAdminBuilt();
  database = await createScratchDatabase("connecthub_dash");
  await migrate(database.url);
  dataDir = tempDataDir();
  app = await startApp({ DATABASE_URL: database.url, DATA_DIR: dataDir.dir, ADMIN_USERNAME: "admin", ADMIN_PASSWORD, LOG_LEVEL: "info", EXTENSION_ROOTS: TEST_JOBS_ROOT });
  const prisma = app.runtime.prisma;
  const manual = { enabled: false, cronExpr: "0 3 * * *" };
  await prisma.job.createMany({
    data: [
      { id: "dash.echo", handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: { message: "同步 needle Grüße" }, ...manual },
      { id: "dash.broken", handlerPath: "test_jobs.behaviours:FailWithCauseJob", publicCfg: {}, ...manual },
      { id: "dash.sleeper", handlerPath: "test_jobs.behaviours:SleepJob", publicCfg: { ms: 300_000 }, ...manual },
      { id: "dash.history", handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: {}, ...manual },
      { id: "dash.hourly", handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: {}, enabled: true, cronExpr: "0 0 1 1 *" },
    ],
  });
  // History spread over the week: per day some successes and a failure, durations growing.
  const now = Date.now();
  const rows = [];
  for (let h = 1; h < 7 * 24; h += 5) {
    const created = new Date(now - h * HOUR);
    const failed = h % 3 === 0;
    rows.push({ jobId: "dash.history", trigger: "CRON" as const, snapshotParams: {}, status: failed ? ("FAILURE" as const) : ("SUCCESS" as const), createdAt: created, startedAt: created, finishedAt: new Date(created.getTime() + 500 + h * 40) });
  }
  await prisma.jobLog.createMany({ data: rows });

  echoRun = await runNow("dash.echo");
  await waitForStatus(echoRun, "SUCCESS");
  brokenRun = await runNow("dash.broken");
  await waitForStatus(brokenRun, "FAILURE");
  // A worker that died long ago without a graceful stop: its presence row is stale.
  await prisma.$executeRaw`
    INSERT INTO worker_presence (worker_id, host, pid, role, started_at, last_heartbeat_at, heartbeat_seconds, run_slots, runs_in_flight)
    VALUES ('dead-host:1', 'dead-host', 1, 'worker', now() - interval '2 hours', now() - interval '1 hour', 10, 4, 0)`;
  sleeperRun = await runNow("dash.sleeper");
  await waitForStatus(sleeperRun, "RUNNING");
  browser = await launchBrowser();
}, 240_000);

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  if (sleeperRun) await requestCancel(app.runtime, sleeperRun).catch(() => undefined);
  await browser?.close();
  await app?.stop();
  await database?.drop();
  dataDir?.cleanup();
});

async function openAdmin(path = "/admin/"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${app.baseUrl}${path}`);
  await page.fill("input[name=username]", "admin");
  await page.fill("input[name=password]", ADMIN_PASSWORD);
  await page.click("form.login-card button[type=submit]");
  await page.waitForSelector("[data-testid=whoami]");
  return { context, page };
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();

// Generous limits: the machine running the suite may be busy; nothing here asserts on timing.
describe("dashboard", { timeout: 180_000 }, () => {
  it("is the admin's home: runs by status in a chart, failing and slow jobs, what runs now, workers and next fires", async () => {
    const { context, page } = await openAdmin();
    try {
      await page.waitForSelector("[data-testid=dashboard]");
      expect(await text(page, "h1")).toBe("概览");
      // The chart is drawn by uPlot (a canvas), loaded with the page's lazy chunk.
      await page.waitForSelector("[data-testid=runs-chart] canvas");
      expect(await text(page, "[data-testid=stat-running]")).toContain("1");
      // Workers alive, from the presence heartbeats: the app's own worker (role all) plus a row of a
      // worker that stopped beating long ago, which is not counted.
      expect(await text(page, "[data-testid=stat-workers] .stat-value")).toBe("1");
      const worker = page.locator(`[data-testid=worker][data-worker-id="${app.runtime.instanceId}"]`);
      expect(await worker.innerText()).toContain("一体进程");
      expect(await worker.innerText()).toContain(`运行中 1/${app.runtime.config.WORKER_CONCURRENCY}`);
      expect(await page.locator("[data-testid=worker]").count()).toBe(1);
      // The failing list: dash.history (a third of its runs failed) and dash.broken (its only run).
      const failing = page.locator("[data-testid=failing-jobs] tbody tr");
      expect(await failing.count()).toBe(2);
      expect(await text(page, "[data-testid=failing-jobs-dash\\.broken] [data-col=failureRate]")).toBe("100%");
      expect(await text(page, "[data-testid=slowest-jobs]")).toContain("dash.history");
      expect(await page.locator("[data-testid=next-fires] li").count()).toBe(10);
      expect(await text(page, "[data-testid=next-fires]")).toContain("dash.hourly");
      // Last 24 h: the history rows of the day (5 h apart from 1 h ago: 5 of them) plus 3 real runs.
      const dayTotal = Number(await page.locator("[data-testid=stat-total] .stat-value").innerText());
      const dayHistory = await app.runtime.prisma.jobLog.count({ where: { createdAt: { gte: new Date(Date.now() - DAY) } } });
      expect(dayTotal).toBe(dayHistory);
      expect(await text(page, "[data-testid=status-totals]")).toContain("运行中");
      await screenshot(page, "dashboard-zh-24h");

      // Seven days: more runs, daily buckets.
      await page.click("[data-testid=window-LAST_7D]");
      await expect.poll(async () => Number(await page.locator("[data-testid=stat-total] .stat-value").innerText())).toBe(await app.runtime.prisma.jobLog.count());
      expect(await text(page, ".panel h2 >> nth=0")).toContain("最近 7 天");
      await screenshot(page, "dashboard-zh-7d");

      // English.
      await page.selectOption(".lang-switch", "en");
      expect(await text(page, "h1")).toBe("Dashboard");
      expect(await text(page, "[data-testid=status-totals]")).toContain("Running");
      expect(await text(page, ".panel h2 >> nth=0")).toContain("last 7 days");
      await page.click("[data-testid=window-LAST_24H]");
      await expect.poll(() => text(page, ".panel h2 >> nth=0")).toContain("last 24 hours");
      await page.waitForSelector("[data-testid=runs-chart] canvas");
      await screenshot(page, "dashboard-en-24h");

      // A run finishing is reflected without reloading (status events refresh the figures).
      await requestCancel(app.runtime, sleeperRun);
      await waitForStatus(sleeperRun, "CANCELLED");
      await expect.poll(() => text(page, "[data-testid=stat-running] .stat-value"), { timeout: 20_000 }).toBe("0");
      // The worker stays listed while idle.
      await expect.poll(() => text(page, `[data-testid=worker][data-worker-id="${app.runtime.instanceId}"]`)).toContain(`0/${app.runtime.config.WORKER_CONCURRENCY} running`);
      expect(await text(page, "[data-testid=stat-workers] .stat-value")).toBe("1");
      expect(await text(page, "[data-testid=worker]")).toContain("all-in-one process");
      await screenshot(page, "dashboard-en-workers-idle");
    } finally {
      await context.close();
    }
  });
});

describe("run log viewer", { timeout: 180_000 }, () => {
  it("shows records with their fields as chips, collapsed until opened; the raw text one click away", async () => {
    const { context, page } = await openAdmin(`/admin/runs/${echoRun}`);
    try {
      const lines = page.locator("[data-testid=run-log-lines]");
      await lines.waitFor();
      const echoLine = lines.locator("[data-testid=log-entry]", { hasText: "echo 同步 needle Grüße" });
      await echoLine.waitFor();
      // Collapsed: the keys only; opened: key=value chips.
      expect(await echoLine.locator("[data-testid=log-chips]").count()).toBe(0);
      expect(await echoLine.locator("[data-testid=log-fields-toggle]").innerText()).toContain("echo");
      await echoLine.locator("[data-testid=log-fields-toggle]").click();
      expect(await echoLine.locator("[data-testid=log-chips]").innerText()).toContain("echo=同步 needle Grüße");
      expect(await page.locator("[data-testid=run-log]").isVisible()).toBe(false);
      await screenshot(page, "run-log-zh-structured");

      await page.click("[data-testid=log-view-raw]");
      await page.waitForSelector("[data-testid=run-log]");
      expect(await text(page, "[data-testid=run-log]")).toContain('echo 同步 needle Grüße {"echo":"同步 needle Grüße"}');
      expect(await lines.isVisible()).toBe(false);
      await screenshot(page, "run-log-zh-raw");
      await page.click("[data-testid=log-view-lines]");
      await lines.waitFor();
    } finally {
      await context.close();
    }
  });

  it("searches within the log: matches highlighted, counted, stepped through; fields that match open", async () => {
    const { context, page } = await openAdmin(`/admin/runs/${echoRun}`);
    try {
      await page.waitForSelector("[data-testid=log-entry]");
      await page.fill("[data-testid=log-search]", "NEEDLE");
      // The message and the (now opened) field value: two matches, case-insensitive.
      await expect.poll(() => text(page, "[data-testid=log-search-count]")).toBe("1 / 2");
      expect(await page.locator("[data-testid=log-chips]").count()).toBe(1);
      expect(await page.evaluate(() => (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get("log-match")?.size)).toBe(2);
      const currentText = () => page.evaluate(() => [...(CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get("log-match-current")!][0]!.toString());
      expect(await currentText()).toBe("needle");
      await page.click("[data-testid=log-search-next]");
      expect(await text(page, "[data-testid=log-search-count]")).toBe("2 / 2");
      await page.press("[data-testid=log-search]", "Enter");
      expect(await text(page, "[data-testid=log-search-count]")).toBe("1 / 2");
      await page.press("[data-testid=log-search]", "Shift+Enter");
      expect(await text(page, "[data-testid=log-search-count]")).toBe("2 / 2");
      await screenshot(page, "run-log-zh-search");
      // The raw view is searched too.
      await page.click("[data-testid=log-view-raw]");
      await expect.poll(() => text(page, "[data-testid=log-search-count]")).toBe("1 / 2");
      await page.fill("[data-testid=log-search]", "no such text anywhere");
      await expect.poll(() => text(page, "[data-testid=log-search-count]")).toBe("无匹配");

      // English, on the failed run: its error record stands out.
      await page.selectOption(".lang-switch", "en");
      await page.goto(`${app.baseUrl}/admin/runs/${brokenRun}`);
      await page.waitForSelector("[data-testid=log-entry]");
      await page.fill("[data-testid=log-search]", "sync failed");
      await expect.poll(() => text(page, "[data-testid=log-search-count]")).toMatch(/^1 \/ \d+$/);
      expect(await page.locator("[data-testid=log-entry].level-ERROR").innerText()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ERROR Run failed: .*sync failed/);
      expect(await text(page, "[data-testid=log-download]")).toBe("Download the whole log");
      await screenshot(page, "run-log-en-search");
      await page.fill("[data-testid=log-search]", "nothing like this");
      await expect.poll(() => text(page, "[data-testid=log-search-count]")).toBe("No match");
    } finally {
      await context.close();
    }
  });

  it("downloads the whole stored log, including lines this page never received", async () => {
    const prisma = app.runtime.prisma;
    // A record, then an error record whose stack follows on indented lines.
    const first =
      '2026-11-29T10:00:00.000+08:00 INFO  first line {"step":1}\n' +
      '2026-11-29T10:00:00.500+08:00 ERROR export failed {"file":"a.csv"}\n    Error: disk quota exceeded\n        at write (export.ts:10:5)\n';
    const log = await prisma.jobLog.create({
      data: { jobId: "dash.history", status: "RUNNING", trigger: "MANUAL", snapshotParams: {}, startedAt: new Date(), runLog: first, runLogBytes: Buffer.byteLength(first) },
    });
    const { context, page } = await openAdmin(`/admin/runs/${log.id}`);
    try {
      await page.locator("[data-testid=log-entry]", { hasText: "first line" }).waitFor();
      const error = page.locator("[data-testid=log-entry].level-ERROR");
      expect(await error.locator(".log-msg").innerText()).toBe("export failed");
      expect(await error.locator(".log-extra").innerText()).toContain("at write (export.ts:10:5)");
      // Stored without an event reaching this page (as when the page opened after the stream moved on).
      const rest = Array.from({ length: 50 }, (_, i) => `2026-11-29T10:00:${String(i).padStart(2, "0")}.000+08:00 INFO  later line ${i} {"step":${i + 2}}\n`).join("");
      await prisma.jobLog.update({ where: { id: log.id }, data: { runLog: first + rest, runLogBytes: Buffer.byteLength(first + rest), status: "SUCCESS", finishedAt: new Date() } });
      expect(await page.locator("[data-testid=log-entry]").count()).toBe(2);
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=log-download]")]);
      expect(download.suggestedFilename()).toBe(`dash.history-run-${log.id}.log`);
      const saved = readFileSync((await download.path())!, "utf8");
      expect(saved).toBe(first + rest);
      await screenshot(page, "run-log-zh-download");
    } finally {
      await context.close();
    }
  });
});

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { ensureAdminBuilt, launchBrowser, screenshot } from "./admin-browser.ts";

// Issue 14 in the admin, in a real Chromium against the real app: the audit log page, the run's
// trace id on the run page, and the job editor's "keep the last N runs".

const ADMIN_PASSWORD = "obs-e2e-admin-password";
const HANDLER = "extensions.example.job:ExampleJob";
const FIRST_SECRET = "sk-obs-e2e-first-secret";
const SECOND_SECRET = "sk-obs-e2e-second-secret";

let app: Awaited<ReturnType<typeof startApp>>;
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let dataDir: ReturnType<typeof tempDataDir>;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  ensureAdminBuilt();
  database = await createScratchDatabase("connecthub_admin_obs");
  await migrate(database.url);
  dataDir = tempDataDir();
  app = await startApp({ DATABASE_URL: database.url, DATA_DIR: dataDir.dir, ADMIN_USERNAME: "admin", ADMIN_PASSWORD });
  browser = await launchBrowser();
}, 240_000);

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await database?.drop();
  dataDir?.cleanup();
});

async function openAdminAs(username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${app.baseUrl}/admin/jobs`); // the home is the dashboard; these tests start from the jobs list
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await page.click("form.login-card button[type=submit]");
  await page.waitForSelector("[data-testid=whoami]");
  return { context, page };
}

async function setLanguage(page: Page, lang: "en" | "zh-CN"): Promise<void> {
  await page.selectOption(".topbar .lang-switch", lang);
  await page.waitForSelector("[data-testid=whoami]");
}

/** Creates a job through the editor (every-5-minutes cron, the example handler). */
async function createJobInEditor(page: Page, id: string, extra: (page: Page) => Promise<void>): Promise<void> {
  await page.goto(`${app.baseUrl}/admin/jobs`);
  await page.click("[data-testid=new-job]");
  await page.waitForSelector("[data-testid=job-editor]");
  await page.fill("#id", id);
  await page.selectOption("#handlerPath", HANDLER);
  await page.fill("#cronExpr", "*/5 * * * *");
  await page.click("[data-testid=cfg-view-json]"); // the raw JSON view of the config form
  await page.fill("#publicCfg", '{"name": "Obs"}');
  await extra(page);
  await page.click("[data-testid=save-job]");
  await page.locator(`[data-testid="job-row-${id}"]`).waitFor();
}

async function openEditor(page: Page, id: string): Promise<void> {
  await page.goto(`${app.baseUrl}/admin/jobs`);
  await page.locator(`[data-testid="job-row-${id}"] [data-testid=edit-job]`).click();
  await page.waitForSelector("[data-testid=job-editor]");
}

const auditActions = (page: Page) => page.locator("[data-testid=audit-row]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));

describe("observability in the admin", () => {
  it("the job editor saves 'keep the last N runs', shows it again, and refuses 0", async () => {
    const { context, page } = await openAdminAs("admin", ADMIN_PASSWORD);
    try {
      await createJobInEditor(page, "obs.keep_last", async (p) => {
        await p.fill("#keepLastRuns", "0");
        await p.click("[data-testid=save-job]");
        await expect.poll(() => p.textContent("[data-testid=error-keepLastRuns]")).toContain("至少为 1");
        await p.fill("#keepLastRuns", "7");
      });
      expect((await app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "obs.keep_last" } })).keepLastRuns).toBe(7);

      await openEditor(page, "obs.keep_last");
      await expect.poll(() => page.inputValue("#keepLastRuns")).toBe("7");
      await page.locator("#keepLastRuns").scrollIntoViewIfNeeded();
      await screenshot(page, "20-editor-keep-last-zh");
      await setLanguage(page, "en");
      await expect.poll(() => page.textContent("[data-field=keepLastRuns]")).toContain("Keep last runs");
      await screenshot(page, "20-editor-keep-last-en");

      // Emptied, the job falls back to RUN_RETENTION_DAYS.
      await page.fill("#keepLastRuns", "");
      await page.click("[data-testid=save-job]");
      await page.locator('[data-testid="job-row-obs.keep_last"]').waitFor();
      await expect.poll(async () => (await app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "obs.keep_last" } })).keepLastRuns).toBe(null);
      await setLanguage(page, "zh-CN");
    } finally {
      await context.close();
    }
  });

  it("the run page shows the run's trace id", async () => {
    const { context, page } = await openAdminAs("admin", ADMIN_PASSWORD);
    try {
      await app.runtime.prisma.job.create({ data: { id: "obs.traced", handlerPath: HANDLER, publicCfg: { name: "T" }, cronExpr: "0 3 * * *", enabled: false } });
      await page.goto(`${app.baseUrl}/admin/jobs`);
      await page.locator('[data-testid="job-row-obs.traced"] [data-testid=run-now]').click();
      await page.waitForURL(/\/admin\/runs\/\d+$/);
      await expect.poll(() => page.locator(".page-head .badge").getAttribute("data-status"), { timeout: 30_000 }).toBe("SUCCESS");
      const id = Number(new URL(page.url()).pathname.split("/").pop());
      const run = await app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id } });
      expect(run.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect((await page.textContent("[data-testid=run-trace-id]"))?.trim()).toBe(run.traceId);
      await screenshot(page, "21-run-trace-id-zh");
      await setLanguage(page, "en");
      await expect.poll(() => page.textContent(".facts")).toContain("Trace id");
      expect((await page.textContent("[data-testid=run-trace-id]"))?.trim()).toBe(run.traceId);
      await screenshot(page, "21-run-trace-id-en");
      await setLanguage(page, "zh-CN");
    } finally {
      await context.close();
    }
  });

  it("actions done in the admin show on the audit page with who and what; filters work; secrets never appear", async () => {
    const { context, page } = await openAdminAs("admin", ADMIN_PASSWORD);
    try {
      // A job with a secret, its secret replaced, run now: all through the admin.
      await createJobInEditor(page, "obs.audited", (p) => p.fill("#secret-api_key", FIRST_SECRET));
      await openEditor(page, "obs.audited");
      await page.fill("#secret-api_key", SECOND_SECRET); // the masked per-key input
      await page.fill("#cronExpr", "*/10 * * * *");
      await page.click("[data-testid=save-job]");
      const row = page.locator('[data-testid="job-row-obs.audited"]');
      await row.waitFor();
      await row.locator("[data-testid=run-now]").click();
      await page.waitForURL(/\/admin\/runs\/\d+$/);
      const runId = Number(new URL(page.url()).pathname.split("/").pop());
      const run = await app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: runId } });

      await page.click(".topbar nav a[href='/admin/audit']");
      await page.waitForSelector("[data-testid=audit-table]");
      const actions = await auditActions(page);
      for (const action of ["auth.login", "job.create", "job.update", "run.now"]) expect(actions, action).toContain(action);
      // Newest first: the run comes after the update, which comes after the create.
      expect(actions.indexOf("run.now")).toBeLessThan(actions.indexOf("job.update"));
      expect(actions.indexOf("job.update")).toBeLessThan(actions.indexOf("job.create"));

      // Who and what: the admin user from this machine; the update's diff names the cron change and
      // says the secret changed, with its key name only.
      const update = page.locator('[data-testid=audit-row][data-action="job.update"]').first();
      const updateText = (await update.textContent())!;
      expect(updateText).toContain("admin");
      expect(updateText).toContain("USER");
      expect(updateText).toMatch(/127\.0\.0\.1/);
      expect(updateText).toContain("Job obs.audited");
      expect(updateText).toContain("SUCCESS");
      expect(updateText).toContain("*/10 * * * *");
      expect(updateText).toContain('"changed":true');
      expect(updateText).toContain("api_key");
      const runNow = page.locator('[data-testid=audit-row][data-action="run.now"]').first();
      expect(await runNow.textContent()).toContain(`"logId":${runId}`);
      const stored = await app.runtime.prisma.auditEvent.findFirstOrThrow({ where: { action: "run.now", targetId: "obs.audited" } });
      expect(stored.traceId).toBe(run.traceId);

      const html = await page.content();
      expect(html).not.toContain(FIRST_SECRET);
      expect(html).not.toContain(SECOND_SECRET);
      await screenshot(page, "22-audit-zh");

      // Filters: by action, then by actor; an unknown actor finds nothing.
      await page.fill("[data-testid=audit-action-filter]", "job.update");
      await page.press("[data-testid=audit-action-filter]", "Enter");
      await expect.poll(async () => [...new Set(await auditActions(page))]).toEqual(["job.update"]);
      await screenshot(page, "23-audit-filtered-zh");
      await page.fill("[data-testid=audit-action-filter]", "");
      await page.press("[data-testid=audit-action-filter]", "Enter");
      await page.fill("[data-testid=audit-actor-filter]", "someone-else");
      await page.press("[data-testid=audit-actor-filter]", "Enter");
      await page.waitForSelector(".state-empty");
      expect(await page.locator("[data-testid=audit-row]").count()).toBe(0);
      await page.fill("[data-testid=audit-actor-filter]", "admin");
      await page.press("[data-testid=audit-actor-filter]", "Enter");
      await expect.poll(async () => (await auditActions(page)).length).toBeGreaterThanOrEqual(4);

      await setLanguage(page, "en");
      await expect.poll(() => page.textContent("h1")).toBe("Audit log");
      expect(await page.content()).not.toContain(SECOND_SECRET);
      await screenshot(page, "22-audit-en");
      await setLanguage(page, "zh-CN");
    } finally {
      await context.close();
    }
  }, 120_000);
});

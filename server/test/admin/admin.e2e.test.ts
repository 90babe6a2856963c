import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { createUser } from "../../src/security/auth/index.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { ensureAdminBuilt, launchBrowser, screenshot } from "./admin-browser.ts";

// The admin in a real Chromium against the real app (API, worker, scheduler) on a scratch database.

const ADMIN_PASSWORD = "admin-e2e-password";
const VIEWER_PASSWORD = "viewer-e2e-password";
const HANDLER = "extensions.example.job:ExampleJob";
const JOB_ID = "e2e.greeting";

let app: Awaited<ReturnType<typeof startApp>>;
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let dataDir: ReturnType<typeof tempDataDir>;
let browser: Browser;

beforeAll(async () => {
  ensureAdminBuilt();
  database = await createScratchDatabase("connecthub_admin");
  await migrate(database.url);
  dataDir = tempDataDir();
  // LOG_LEVEL info: the handler's info lines are what the run log shows.
  app = await startApp({ DATABASE_URL: database.url, DATA_DIR: dataDir.dir, ADMIN_USERNAME: "admin", ADMIN_PASSWORD, LOG_LEVEL: "info" });
  await createUser(app.runtime.prisma, "viewer", VIEWER_PASSWORD, "VIEWER");
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

/** Uncaught errors in the page, checked after each test. */
const pageErrors: string[] = [];

async function openAdmin(width = 1280, height = 860): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // The jobs list (the admin's home is the dashboard, covered in dashboard-log.e2e.test.ts).
  await page.goto(`${app.baseUrl}/admin/jobs`);
  return { context, page };
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await page.click("form.login-card button[type=submit]");
  await page.waitForSelector("[data-testid=whoami]");
}

async function confirm(page: Page): Promise<void> {
  await page.click("[data-testid=confirm-ok]");
  await page.waitForSelector("[data-testid=confirm-dialog]", { state: "detached" });
}

async function runStatus(page: Page): Promise<string | null> {
  return page.locator(".page-head .badge").getAttribute("data-status");
}

describe("admin in the browser", () => {
  it("an admin creates, runs, retries, disables, purges and deletes a job", async () => {
    const { context, page } = await openAdmin();
    try {
      // Login: a wrong password is reported inline, in Chinese by default.
      await page.waitForSelector("form.login-card");
      await screenshot(page, "01-login");
      await page.fill("input[name=username]", "admin");
      await page.fill("input[name=password]", "not-the-password");
      await page.click("form.login-card button[type=submit]");
      await expect.poll(() => page.textContent("[data-testid=login-error]")).toContain("用户名或密码不正确");
      await logIn(page, "admin", ADMIN_PASSWORD);
      await page.waitForSelector(".state-empty");
      await screenshot(page, "02-jobs-empty");

      // Create: the handler's description, a live cron preview, and field errors next to their field.
      await page.click("[data-testid=new-job]");
      await page.waitForSelector("[data-testid=job-editor]");
      await page.fill("#id", JOB_ID);
      await page.selectOption("#handlerPath", HANDLER);
      // Its own Chinese description in the Chinese UI.
      await expect.poll(() => page.textContent("[data-testid=handler-description]")).toContain("问候");
      await page.fill("#cronExpr", "*/5 * * * *");
      await expect.poll(() => page.locator("[data-testid=trigger-preview] li").count()).toBe(5);
      expect(await page.locator("[data-testid=trigger-preview] li").first().textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:00 \+08:00$/);
      // publicCfg is checked against the handler's JSON schema while typing (raw JSON view).
      await page.click("[data-testid=cfg-view-json]");
      await page.fill("#publicCfg", "{}");
      await expect.poll(() => page.textContent("[data-testid=error-publicCfg]")).toContain("name");
      await page.fill("#publicCfg", '{"name": "E2E"}');
      await page.waitForSelector("[data-testid=error-publicCfg]", { state: "detached" });
      // An invalid cron is refused by the server and shown under the cron field.
      await page.fill("#cronExpr", "61 * * * *");
      await expect.poll(() => page.locator("[data-testid=preview-error]").count()).toBe(1);
      await page.fill("#secret-api_key", "sk-e2e-very-secret");
      await page.click("[data-testid=save-job]");
      await page.waitForSelector("[data-testid=error-cronExpr]");
      await screenshot(page, "03-editor-validation");
      expect(await page.locator("[data-field=cronExpr] [data-testid=error-cronExpr]").count()).toBe(1);
      await page.fill("#cronExpr", "*/5 * * * *");
      await expect.poll(() => page.locator("[data-testid=trigger-preview] li").count()).toBe(5);
      await screenshot(page, "04-editor");
      await page.click("[data-testid=save-job]");

      // The list shows the job with its trigger in words and its next run.
      const row = page.locator(`[data-testid="job-row-${JOB_ID}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain("每隔 5 分钟");
      expect(await row.textContent()).toContain("下次");
      await screenshot(page, "05-jobs");

      // The secret is write-only: the editor shows its key name, never its value.
      await row.locator("[data-testid=edit-job]").click();
      await page.waitForSelector("[data-testid=secret-row-api_key]");
      expect(await page.textContent("[data-testid=secret-row-api_key]")).toContain("已存储");
      expect(await page.content()).not.toContain("sk-e2e-very-secret");
      await page.goBack();

      // Run now opens the run; its log lines arrive live and it finishes.
      await row.locator("[data-testid=run-now]").click();
      await page.waitForURL(/\/admin\/runs\/\d+$/);
      await expect.poll(() => page.textContent("[data-testid=run-log]"), { timeout: 30_000 }).toMatch(/Run #\d+ of e2e\.greeting started/);
      await expect.poll(() => runStatus(page), { timeout: 30_000 }).toBe("SUCCESS");
      await expect.poll(() => page.textContent("[data-testid=run-log]")).toContain("Run ended SUCCESS");
      expect(await page.textContent("[data-testid=run-log]")).toMatch(/Hello, .+!/);
      expect(await page.textContent("[data-testid=run-log]")).not.toContain("sk-e2e-very-secret");
      expect(await page.textContent("[data-testid=snapshot]")).toContain(HANDLER);
      await screenshot(page, "06-run-detail");
      const firstRun = page.url();

      // Retry makes a new run of the same snapshot.
      await page.click("[data-testid=retry-run]");
      await page.waitForURL((url) => /\/admin\/runs\/\d+$/.test(url.pathname) && url.href !== firstRun);
      await expect.poll(() => runStatus(page), { timeout: 30_000 }).toBe("SUCCESS");
      await expect.poll(() => page.textContent("[data-testid=run-log]")).toContain("Run ended SUCCESS");
      expect(await page.textContent(".facts")).toContain("重试");

      const retryRun = page.url();

      // The run list shows both runs (and a */5 slot, should one have fired on a slow machine).
      const runIds = [firstRun, retryRun].map((url) => url.split("/").pop()!);
      const stored = await app.runtime.prisma.jobLog.count({ where: { jobId: JOB_ID } });
      await page.goto(`${app.baseUrl}/admin/runs?job=${JOB_ID}`);
      await expect.poll(() => page.locator("[data-testid^=run-row-]").count(), { timeout: 20_000 }).toBe(stored);
      for (const id of runIds) expect(await page.locator(`[data-testid="run-row-${id}"]`).count()).toBe(1);
      await screenshot(page, "07-runs");

      // Disable keeps the job (and its logs) and says so before doing it.
      await page.goto(`${app.baseUrl}/admin/jobs`);
      await row.locator("[data-testid=toggle-enabled]").click();
      expect(await page.textContent("[data-testid=confirm-dialog]")).toContain("保留");
      await confirm(page);
      await expect.poll(() => row.locator("[data-testid=enabled-toggle]").isChecked()).toBe(false);
      expect((await app.runtime.prisma.job.findUniqueOrThrow({ where: { id: JOB_ID } })).enabled).toBe(false);

      // Purge removes the runs, keeps the job.
      await row.locator("[data-testid=purge-logs]").click();
      expect(await page.textContent("[data-testid=confirm-dialog]")).toContain("将保留");
      await confirm(page);
      await expect.poll(() => app.runtime.prisma.jobLog.count({ where: { jobId: JOB_ID } })).toBe(0);
      expect(await row.count()).toBe(1);

      // Delete removes the job.
      await row.locator("[data-testid=delete-job]").click();
      expect(await page.textContent("[data-testid=confirm-dialog]")).toContain("将删除");
      await confirm(page);
      await row.waitFor({ state: "detached" });
      expect(await app.runtime.prisma.job.count({ where: { id: JOB_ID } })).toBe(0);

      // English is one click away and remembered.
      await page.selectOption(".topbar .lang-switch", "en");
      await page.reload();
      await page.waitForSelector("[data-testid=whoami]");
      expect(await page.textContent(".topbar nav")).toContain("Jobs");
    } finally {
      await context.close();
    }
  }, 180_000); // the longest flow: several real runs; slow on a loaded 2-core machine

  it("a viewer sees jobs and runs but no edit actions", async () => {
    await app.runtime.prisma.job.create({
      data: { id: "viewer.visible", handlerPath: HANDLER, publicCfg: { name: "V" }, triggerType: "INTERVAL", intervalSeconds: 3600, enabled: false },
    });
    const log = await app.runtime.prisma.jobLog.create({
      data: { jobId: "viewer.visible", status: "FAILURE", trigger: "MANUAL", snapshotParams: {}, message: "boom", traceback: "Error: boom\n    at run", runLog: "line 1\n" },
    });
    const { context, page } = await openAdmin();
    try {
      await logIn(page, "viewer", VIEWER_PASSWORD);
      const row = page.locator('[data-testid="job-row-viewer.visible"]');
      await row.waitFor();
      expect(await page.locator("[data-testid=new-job]").count()).toBe(0);
      for (const action of ["run-now", "edit-job", "toggle-enabled", "purge-logs", "delete-job"]) {
        expect(await row.locator(`[data-testid=${action}]`).count(), action).toBe(0);
      }
      expect(await row.locator("[data-testid=enabled-toggle]").isDisabled()).toBe(true);
      expect(await row.locator("[data-testid=view-logs]").count()).toBe(1);
      await page.goto(`${app.baseUrl}/admin/runs/${log.id}`);
      await page.waitForSelector("[data-testid=run-log-lines]");
      expect(await page.locator("[data-testid=retry-run]").count()).toBe(0);
      expect(await page.textContent("body")).toContain("Error: boom");
      await screenshot(page, "08-viewer-run");

      // A session that ends on the server brings the login screen back, saying why.
      await app.runtime.prisma.session.deleteMany({});
      await page.click(".topbar nav a[href='/admin/jobs']");
      await page.waitForSelector("form.login-card");
      expect(await page.textContent("form.login-card")).toContain("登录已过期");
    } finally {
      await context.close();
    }
  });

  it("an admin manages API tokens and users from the admin, in both languages", async () => {
    const { context, page } = await openAdmin(1440, 900);
    const meWith = async (token: string) => (await fetch(`${app.baseUrl}/graphql`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ query: "{ me { role } }" }) })).status;
    try {
      await logIn(page, "admin", ADMIN_PASSWORD);
      await page.click(".topbar nav a[href='/admin/tokens']");
      await page.waitForSelector("[data-testid=token-form]");

      // A token is shown once, works at once, and stops at once when revoked.
      await page.fill("#token-name", "e2e-ci");
      await page.selectOption("#token-role", "OPERATOR");
      await page.click("[data-testid=create-token]");
      const token = (await page.textContent("[data-testid=new-token-value]"))!;
      expect(token).toMatch(/^chub_/);
      expect(await page.textContent("[data-testid=new-token]")).toContain("只显示这一次");
      const row = page.locator('[data-testid="token-row-e2e-ci"]');
      await row.waitFor();
      expect(await row.textContent()).toContain("运维");
      expect(await row.textContent()).not.toContain(token);
      expect(await meWith(token)).toBe(200);
      await screenshot(page, "10-tokens-zh");
      await page.click("[data-testid=create-token]");
      await expect.poll(() => page.locator("[data-field=token-name] .field-error").count()).toBe(1);
      await row.locator("[data-testid=revoke-token]").click();
      expect(await page.textContent("[data-testid=confirm-dialog]")).toContain("立即生效");
      await confirm(page);
      await row.waitFor({ state: "detached" });
      expect(await meWith(token)).toBe(401);

      // Users: create, change role, reset the password, disable.
      await page.click(".topbar nav a[href='/admin/users']");
      await page.fill("#user-name", "e2e-ops");
      await page.fill("#user-password", "e2e-ops-password");
      await page.selectOption("#user-role", "VIEWER");
      await page.click("[data-testid=create-user]");
      const user = page.locator('[data-testid="user-row-e2e-ops"]');
      await user.waitFor();
      await user.locator("select").selectOption("OPERATOR");
      await expect.poll(async () => (await app.runtime.prisma.user.findUnique({ where: { username: "e2e-ops" } }))?.role).toBe("OPERATOR");
      await user.locator("[data-testid=reset-password]").click();
      await page.fill("#reset-password", "e2e-ops-password-2");
      await page.click("[data-testid=reset-submit]");
      await page.waitForSelector("[data-testid=reset-form]", { state: "detached" });
      const login = (password: string) => fetch(`${app.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "e2e-ops", password }) }).then((r) => r.status);
      expect(await login("e2e-ops-password-2")).toBe(200);
      await user.locator("[data-testid=disable-user]").click();
      await confirm(page);
      await expect.poll(() => user.locator("[data-testid=user-state]").textContent()).toBe("已停用");
      expect(await login("e2e-ops-password-2")).toBe(401);
      await screenshot(page, "11-users-zh");

      await page.selectOption(".topbar .lang-switch", "en");
      await expect.poll(() => user.locator("[data-testid=user-state]").textContent()).toBe("Disabled");
      await screenshot(page, "11-users-en");
      await page.click(".topbar nav a[href='/admin/tokens']");
      await page.waitForSelector("[data-testid=token-form]");
      await screenshot(page, "10-tokens-en");
    } finally {
      await context.close();
    }
  });

  it("everyone changes their own password; a viewer sees a permission notice on admin screens", async () => {
    await createUser(app.runtime.prisma, "e2e-self", "e2e-self-password", "VIEWER");
    const { context, page } = await openAdmin(1440, 900);
    try {
      await logIn(page, "e2e-self", "e2e-self-password");
      expect(await page.locator(".topbar nav a[href='/admin/users']").count()).toBe(0);
      for (const path of ["/admin/users", "/admin/tokens", "/admin/jobs/new"]) {
        await page.goto(`${app.baseUrl}${path}`);
        await page.waitForSelector("[data-testid=not-allowed]");
        expect(await page.textContent("[data-testid=not-allowed]")).toContain("没有权限");
        expect(await page.locator(".state-error").count()).toBe(0);
      }
      await screenshot(page, "12-not-allowed-zh");

      await page.click("[data-testid=whoami]");
      await page.waitForSelector("[data-testid=password-form]");
      await page.fill("#currentPassword", "not-my-password");
      await page.fill("#newPassword", "e2e-self-password-2");
      await page.fill("#repeat", "e2e-self-password-2");
      await page.click("[data-testid=change-password]");
      // Each answer hashes at scrypt N=2^17: seconds on a loaded machine, past expect.poll's 1 s default.
      await expect.poll(() => page.textContent("[data-testid=error-currentPassword]"), { timeout: 30_000 }).toContain("当前密码不正确");
      await screenshot(page, "13-account-zh");
      await page.fill("#currentPassword", "e2e-self-password");
      await page.click("[data-testid=change-password]");
      await expect.poll(() => page.textContent(".toast-area"), { timeout: 30_000 }).toContain("密码已修改");
      // This page stays logged in; the new password is the one that logs in.
      await page.click(".topbar nav a[href='/admin/jobs']");
      await page.waitForSelector("[data-testid=whoami]");
      const login = (password: string) => fetch(`${app.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "e2e-self", password }) }).then((r) => r.status);
      expect(await login("e2e-self-password")).toBe(401);
      expect(await login("e2e-self-password-2")).toBe(200);

      await page.selectOption(".topbar .lang-switch", "en");
      await page.click("[data-testid=whoami]");
      await page.waitForSelector("[data-testid=password-form]");
      await screenshot(page, "13-account-en");
      await page.goto(`${app.baseUrl}/admin/users`);
      await page.waitForSelector("[data-testid=not-allowed]");
      expect(await page.textContent("[data-testid=not-allowed]")).toContain("Not allowed");
      await screenshot(page, "12-not-allowed-en");
    } finally {
      await context.close();
    }
  });

  it("the job page shows the next fire times and the schedule history", async () => {
    const prisma = app.runtime.prisma;
    await prisma.job.create({ data: { id: "e2e.history", handlerPath: HANDLER, publicCfg: { name: "H" }, cronExpr: "0 3 1 1 *", enabled: true } });
    const run = await prisma.jobLog.create({ data: { jobId: "e2e.history", status: "SUCCESS", trigger: "CRON", snapshotParams: {} } });
    const slot = (minute: number) => new Date(Date.UTC(2026, 10, 1, 8, minute));
    await prisma.fireRecord.createMany({
      data: [
        { jobId: "e2e.history", scheduledAt: slot(0), outcome: "FIRED", logId: run.id },
        { jobId: "e2e.history", scheduledAt: slot(5), outcome: "SKIPPED_OVERLAP", note: `run #${run.id} was still RUNNING` },
      ],
    });
    const { context, page } = await openAdmin(1440, 900);
    try {
      await logIn(page, "viewer", VIEWER_PASSWORD);
      await page.locator('[data-testid="job-row-e2e.history"] [data-testid=open-job]').click();
      await page.waitForSelector("[data-testid=job-page]");
      await expect.poll(() => page.locator("[data-testid=next-fires] li").count()).toBe(10);
      const rows = page.locator("[data-testid=fire-record]");
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.nth(0).getAttribute("data-outcome")).toBe("SKIPPED_OVERLAP");
      expect(await rows.nth(0).textContent()).toContain("跳过(重叠)");
      expect(await rows.nth(0).textContent()).toContain("was still RUNNING");
      expect(await rows.nth(1).locator(`a[href='/admin/runs/${run.id}']`).count()).toBe(1);
      await screenshot(page, "14-job-schedule-zh");
      await page.selectOption(".topbar .lang-switch", "en");
      await expect.poll(() => rows.nth(0).textContent()).toContain("Skipped (overlap)");
      await screenshot(page, "14-job-schedule-en");
    } finally {
      await context.close();
    }
  });

  it("times are live and honest: zones labelled, planned runs shown as planned, start times only for runs that started", async () => {
    const prisma = app.runtime.prisma;
    await prisma.job.create({ data: { id: "e2e.newyork", handlerPath: HANDLER, publicCfg: { name: "N" }, cronExpr: "30 2 * * *", timezone: "America/New_York", enabled: false } });
    const slot = new Date(Date.now() + 3_600_000);
    const planned = await prisma.jobLog.create({ data: { jobId: "e2e.newyork", status: "QUEUED", trigger: "CRON", snapshotParams: {}, scheduledAt: slot } });
    const cancelled = await prisma.jobLog.create({ data: { jobId: "e2e.newyork", status: "CANCELLED", trigger: "MANUAL", snapshotParams: {}, finishedAt: new Date() } });
    const { context, page } = await openAdmin(1440, 900);
    try {
      await logIn(page, "viewer", VIEWER_PASSWORD);
      const row = page.locator('[data-testid="job-row-e2e.newyork"]');
      await row.waitFor();
      expect(await row.locator("[data-testid=job-zone]").textContent()).toContain("America/New_York");
      expect(await page.locator('[data-testid="job-row-viewer.visible"] [data-testid=job-zone]').count()).toBe(0);
      await screenshot(page, "15-jobs-zones-zh");

      // A cancelled-before-start run shows no start time.
      await page.goto(`${app.baseUrl}/admin/runs/${cancelled.id}`);
      await expect.poll(() => page.textContent("[data-testid=run-started]")).toContain("未开始");

      // A planned run says so; when it starts, the start time appears without a reload.
      await page.goto(`${app.baseUrl}/admin/runs/${planned.id}`);
      await page.waitForSelector("[data-testid=planned-note]");
      expect(await page.textContent("[data-testid=run-started]")).toContain("尚未开始");
      await screenshot(page, "16-run-planned-zh");
      const startedAt = new Date();
      await prisma.jobLog.update({ where: { id: planned.id }, data: { status: "RUNNING", startedAt } });
      await app.runtime.events.publish("jobLog.status", { logId: planned.id, jobId: "e2e.newyork", status: "RUNNING", at: startedAt.toISOString() });
      await expect.poll(() => page.textContent("[data-testid=run-started]"), { timeout: 15_000 }).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00$/);
      expect(await page.locator("[data-testid=planned-note]").count()).toBe(0);
      await page.selectOption(".topbar .lang-switch", "en");
      await screenshot(page, "16-run-started-en");
      await page.goto(`${app.baseUrl}/admin/jobs`);
      await row.waitFor();
      await screenshot(page, "15-jobs-zones-en");
    } finally {
      await context.close();
    }
  });

  it("a 200 KB run log streams into the page in order, following the end", async () => {
    const job = await app.runtime.prisma.job.create({
      data: { id: "stream.big", handlerPath: HANDLER, publicCfg: { name: "S" }, triggerType: "INTERVAL", intervalSeconds: 3600, enabled: false },
    });
    const log = await app.runtime.prisma.jobLog.create({
      data: { jobId: job.id, status: "RUNNING", trigger: "MANUAL", snapshotParams: {}, startedAt: new Date() },
    });
    const { context, page } = await openAdmin(390, 844);
    try {
      await logIn(page, "admin", ADMIN_PASSWORD);
      await page.goto(`${app.baseUrl}/admin/runs/${log.id}`);
      // The raw view: the text exactly as streamed.
      await page.click("[data-testid=log-view-raw]");
      await page.waitForSelector("[data-testid=run-log]");
      // Feed it as the worker does: ~2 KB chunks on the event bus at increasing byte offsets, and
      // the text so far flushed to JobLog.runLog now and then (the server fills gaps from there).
      const lines = Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(5, "0")} 同步记录 ok ${"x".repeat(50)}\n`);
      const full = lines.join("");
      let offset = 0;
      let flushed = "";
      for (let i = 0; i < lines.length; i += 25) {
        const text = lines.slice(i, i + 25).join("");
        await app.runtime.events.publish("jobLog.output", { logId: log.id, jobId: job.id, offset, text });
        offset += Buffer.byteLength(text);
        flushed += text;
        if ((i / 25) % 20 === 19 || i + 25 >= lines.length) {
          await app.runtime.prisma.jobLog.update({ where: { id: log.id }, data: { runLog: flushed, runLogBytes: offset } });
        }
      }
      expect(offset).toBeGreaterThan(200 * 1024);
      await expect.poll(() => page.evaluate(() => document.querySelector("[data-testid=run-log]")!.textContent!.length), { timeout: 30_000 }).toBe(full.length);
      expect(await page.textContent("[data-testid=run-log]")).toBe(full);
      const atBottom = await page.evaluate(() => {
        const el = document.querySelector("[data-testid=run-log]") as HTMLElement;
        return el.scrollHeight - el.scrollTop - el.clientHeight < 30;
      });
      expect(atBottom).toBe(true);
      await screenshot(page, "09-streaming-narrow");
    } finally {
      await context.close();
    }
  });
});

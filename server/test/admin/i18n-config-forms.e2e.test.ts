import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { ensureAdminBuilt, launchBrowser, screenshot } from "./admin-browser.ts";

// Issue 13, items 8 and 13 in a real Chromium against the real app: server messages and errors
// rendered from the admin's catalogue in the chosen language (toasts too, after a switch), and
// config forms generated from the handler's schema with masked, write-only secret inputs.

const ADMIN_PASSWORD = "admin-i18n-password";
const HANDLER = "extensions.example.job:ExampleJob";
const SECRET = "sk-i18n-very-secret";
const SECRET_2 = "sk-i18n-rotated-secret";

let app: Awaited<ReturnType<typeof startApp>>;
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let dataDir: ReturnType<typeof tempDataDir>;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  ensureAdminBuilt();
  database = await createScratchDatabase("connecthub_admin_i18n");
  await migrate(database.url);
  dataDir = tempDataDir();
  // The test handlers (a sleeping one, to cancel) beside the project's extensions.
  app = await startApp({ DATABASE_URL: database.url, DATA_DIR: dataDir.dir, ADMIN_USERNAME: "admin", ADMIN_PASSWORD, LOG_LEVEL: "warn", EXTENSION_ROOTS: TEST_JOBS_ROOT });
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

async function openAdmin(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${app.baseUrl}/admin/jobs`); // the home is the dashboard; these tests start from the jobs list
  await page.fill("input[name=username]", "admin");
  await page.fill("input[name=password]", ADMIN_PASSWORD);
  await page.click("form.login-card button[type=submit]");
  await page.waitForSelector("[data-testid=whoami]");
  return { context, page };
}

const setLanguage = (page: Page, locale: "zh-CN" | "en") => page.selectOption(".lang-switch", locale);
const toastText = (page: Page) => page.textContent(".toast-area");

/** Saves the editor and waits for the jobs list; a refusal fails with what the page says. */
async function saveJob(page: Page): Promise<void> {
  await page.click("[data-testid=save-job]");
  await page.waitForSelector("[data-testid=job-editor]", { state: "detached", timeout: 15_000 }).catch(async () => {
    throw new Error(`save refused: ${await page.locator("[data-testid=form-error], .field-error").allTextContents()}`);
  });
}

async function storedSecret(jobId: string): Promise<Record<string, unknown> | null> {
  const job = await app.runtime.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
  return job.secretCfg ? app.runtime.fernet().decryptJson(job.secretCfg) : null;
}

describe("config forms from the handler's schema", () => {
  it("a form and the raw JSON edit the same config; secrets are masked inputs, each left empty to keep", async () => {
    const { context, page } = await openAdmin();
    try {
      await page.goto(`${app.baseUrl}/admin/jobs/new`);
      await page.waitForSelector("[data-testid=job-editor]");
      await page.fill("#id", "i18n.form");
      await page.selectOption("#handlerPath", HANDLER);
      // Chinese UI: the handler's and the field's own Chinese descriptions, the required mark.
      await expect.poll(() => page.textContent("[data-testid=handler-description]")).toContain("问候");
      await page.waitForSelector("[data-testid=schema-form]");
      expect(await page.textContent("[data-testid=cfg-hint-name]")).toBe("问候的对象");
      expect(await page.locator("[data-field=cfg-name] .required-mark").count()).toBe(1);
      // Empty config: the required field is flagged under its own input.
      await expect.poll(() => page.textContent("[data-testid=error-cfg-name]")).toContain("name");
      await page.fill("#cfg-name", "表单");
      await page.waitForSelector("[data-testid=error-cfg-name]", { state: "detached" });
      // The raw JSON view shows what the form wrote; an edit there shows in the form.
      await page.click("[data-testid=cfg-view-json]");
      expect(JSON.parse(await page.inputValue("#publicCfg"))).toEqual({ name: "表单" });
      await page.fill("#publicCfg", '{"name": "JSON 写的", "extra": 1}');
      await page.click("[data-testid=cfg-view-form]");
      expect(await page.inputValue("#cfg-name")).toBe("JSON 写的");
      expect(await page.textContent("[data-testid=schema-form]")).toContain("extra");
      // Broken JSON keeps the raw view until it is fixed.
      await page.click("[data-testid=cfg-view-json]");
      await page.fill("#publicCfg", '{"name": ');
      expect(await page.locator("[data-testid=cfg-view-form]").isDisabled()).toBe(true);
      await page.fill("#publicCfg", '{"name": "E2E"}');
      await page.click("[data-testid=cfg-view-form]");
      // Secrets: one masked input per key of the handler's secrets schema.
      const secretInput = page.locator("#secret-api_key");
      expect(await secretInput.getAttribute("type")).toBe("password");
      expect(await secretInput.getAttribute("placeholder")).toBe("留空则不设置");
      expect(await page.textContent("[data-testid=secret-row-api_key]")).toContain("任意密钥");
      await secretInput.fill(SECRET);
      await page.fill("#cronExpr", "0 3 * * *");
      await screenshot(page, "i18n-01-config-form-zh");
      await setLanguage(page, "en");
      expect(await page.textContent("[data-testid=cfg-hint-name]")).toBe("Who to greet");
      expect(await page.textContent("[data-testid=handler-description]")).toContain("Logs a greeting");
      await page.click("[data-testid=cfg-view-json]");
      await screenshot(page, "i18n-02-config-json-en");
      await page.click("[data-testid=cfg-view-form]");
      await screenshot(page, "i18n-03-config-form-en");
      await setLanguage(page, "zh-CN");
      await saveJob(page);
      expect(await storedSecret("i18n.form")).toEqual({ api_key: SECRET });
      const job = await app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "i18n.form" } });
      expect(job.publicCfg).toEqual({ name: "E2E" });

      // Editing: the stored key is marked, its value never comes back; empty keeps it.
      await page.goto(`${app.baseUrl}/admin/jobs/i18n.form/edit`);
      await page.waitForSelector("[data-testid=secret-row-api_key]");
      expect(await page.textContent("[data-testid=secret-row-api_key]")).toContain("已存储");
      expect(await page.locator("#secret-api_key").getAttribute("placeholder")).toBe("留空则保留已存储的值");
      expect(await page.inputValue("#secret-api_key")).toBe("");
      expect(await page.content()).not.toContain(SECRET);
      await screenshot(page, "i18n-04-secrets-edit-zh");
      await page.fill("#cfg-name", "Kept secret");
      await saveJob(page);
      expect(await storedSecret("i18n.form")).toEqual({ api_key: SECRET });
      expect((await app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "i18n.form" } })).publicCfg).toEqual({ name: "Kept secret" });

      // A typed value replaces that key only; an added key is added.
      await page.goto(`${app.baseUrl}/admin/jobs/i18n.form/edit`);
      await page.waitForSelector("[data-testid=secret-row-api_key]");
      await setLanguage(page, "en");
      expect(await page.locator("#secret-api_key").getAttribute("placeholder")).toBe("Leave empty to keep the stored value");
      await page.fill("#secret-api_key", SECRET_2);
      await page.fill("[aria-label='New key name']", "extra_token");
      await page.click("[data-testid=secret-add]");
      await page.fill("#secret-extra_token", "tok-1");
      await screenshot(page, "i18n-05-secrets-edit-en");
      await saveJob(page);
      expect(await storedSecret("i18n.form")).toEqual({ api_key: SECRET_2, extra_token: "tok-1" });

      // Removing one stored key keeps the other.
      await page.goto(`${app.baseUrl}/admin/jobs/i18n.form/edit`);
      await page.waitForSelector("[data-testid=secret-remove-extra_token]");
      await page.check("[data-testid=secret-remove-extra_token]");
      await saveJob(page);
      expect(await storedSecret("i18n.form")).toEqual({ api_key: SECRET_2 });
      expect(await page.content()).not.toContain(SECRET_2);
    } finally {
      await context.close();
    }
  }, 240_000);
});

describe("server messages in the chosen language", () => {
  it("run messages, errors and toasts render from the catalogue and follow a language switch", async () => {
    await app.runtime.prisma.job.create({ data: { id: "i18n.sleep", handlerPath: "test_jobs.behaviours:SleepJob", publicCfg: { ms: 60_000 }, cronExpr: "0 3 1 1 *", enabled: false } });
    await app.runtime.prisma.job.create({ data: { id: "i18n.quick", handlerPath: HANDLER, publicCfg: { name: "Q" }, cronExpr: "0 3 1 1 *", enabled: false } });
    const { context, page } = await openAdmin();
    try {
      await setLanguage(page, "zh-CN");
      // A run that succeeds: its stored message is English, shown in Chinese.
      await page.locator('[data-testid="job-row-i18n.quick"] [data-testid=run-now]').click();
      await page.waitForURL(/\/admin\/runs\/\d+$/);
      await expect.poll(() => page.textContent("[data-testid=run-message]"), { timeout: 30_000 }).toBe("运行成功。");
      const quickRunId = Number(page.url().split("/").pop());
      expect((await app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: quickRunId } })).message).toBe("Run succeeded.");
      await screenshot(page, "i18n-06-run-succeeded-zh");
      await setLanguage(page, "en");
      expect(await page.textContent("[data-testid=run-message]")).toBe("Run succeeded.");
      await setLanguage(page, "zh-CN");

      // Cancel a running run: the toast and the message are Chinese; after the switch both are English.
      await page.goto(`${app.baseUrl}/admin/jobs`);
      await page.locator('[data-testid="job-row-i18n.sleep"] [data-testid=run-now]').click();
      await page.waitForURL(/\/admin\/runs\/\d+$/);
      await expect.poll(() => page.locator(".page-head .badge").getAttribute("data-status"), { timeout: 30_000 }).toBe("RUNNING");
      await page.click("[data-testid=cancel-run]");
      await page.click("[data-testid=confirm-ok]");
      await expect.poll(() => toastText(page)).toContain("已请求取消。");
      await screenshot(page, "i18n-07-toast-zh");
      await setLanguage(page, "en");
      expect(await toastText(page)).toContain("Cancel requested.");
      expect(await toastText(page)).not.toContain("已请求取消");
      await screenshot(page, "i18n-07-toast-en");
      await expect.poll(() => page.textContent("[data-testid=run-message]").catch(() => null), { timeout: 30_000 }).toBe("Cancelled by an operator.");
      await screenshot(page, "i18n-08-run-cancelled-en");
      await setLanguage(page, "zh-CN");
      expect(await page.textContent("[data-testid=run-message]")).toBe("已被操作员取消。");
      await screenshot(page, "i18n-08-run-cancelled-zh");

      // The runs list shows the messages in the chosen language too.
      await page.goto(`${app.baseUrl}/admin/runs`);
      await expect.poll(() => page.locator("[data-testid=runs-message]").allTextContents()).toEqual(expect.arrayContaining(["已被操作员取消。", "运行成功。"]));
      await screenshot(page, "i18n-09-runs-zh");
      await setLanguage(page, "en");
      await expect.poll(() => page.locator("[data-testid=runs-message]").allTextContents()).toEqual(expect.arrayContaining(["Cancelled by an operator.", "Run succeeded."]));
      await screenshot(page, "i18n-09-runs-en");
      await setLanguage(page, "zh-CN");

      // A server validation error (expiry in the past) under its field, by its code.
      await page.goto(`${app.baseUrl}/admin/tokens`);
      await page.waitForSelector("[data-testid=token-form]");
      await page.fill("#token-name", "past");
      await page.fill("#token-expires", "2020-01-01T08:00");
      await page.click("[data-testid=create-token]");
      await expect.poll(() => page.textContent("[data-testid=error-token-expires]")).toBe("必须是将来的时间");
      await screenshot(page, "i18n-10-field-error-zh");
      await setLanguage(page, "en");
      await page.click("[data-testid=create-token]");
      await expect.poll(() => page.textContent("[data-testid=error-token-expires]")).toBe("Must be in the future");
      await screenshot(page, "i18n-10-field-error-en");

      // The job rules' errors by their codes: the id's pattern (checked by the form with the
      // server's rules) and an unknown time zone (the server's), both in Chinese.
      await setLanguage(page, "zh-CN");
      await page.goto(`${app.baseUrl}/admin/jobs/new`);
      await page.waitForSelector("[data-testid=job-editor]");
      await page.fill("#id", "bad id");
      await page.selectOption("#handlerPath", HANDLER);
      await page.waitForSelector("[data-testid=schema-form]");
      await page.fill("#cfg-name", "时区");
      await page.fill("#cronExpr", "0 9 * * *");
      await page.fill("#timezone", "Mars/Olympus");
      await page.click("[data-testid=save-job]");
      await expect.poll(() => page.textContent("[data-testid=error-id]")).toMatch(/^任务 ID 只能包含字母、数字和 \. _ : -/);
      await page.fill("#id", "i18n.zone");
      await page.click("[data-testid=save-job]");
      await expect.poll(() => page.textContent("[data-testid=error-timezone]")).toMatch(/^"Mars\/Olympus" 不是已知的 IANA 时区/);
      expect(await page.locator("[data-testid=error-id]").count()).toBe(0);
      await screenshot(page, "i18n-11-job-rules-error-zh");
      await setLanguage(page, "en");
      await page.click("[data-testid=save-job]");
      await expect.poll(() => page.textContent("[data-testid=error-timezone]")).toMatch(/^"Mars\/Olympus" is not a known IANA time zone/);
      await screenshot(page, "i18n-11-job-rules-error-en");
    } finally {
      await context.close();
    }
  }, 240_000);

  it("a cron expression's problem and a handler's config schema problems render in Chinese, by their codes", async () => {
    const { context, page } = await openAdmin();
    try {
      await setLanguage(page, "zh-CN");
      await page.goto(`${app.baseUrl}/admin/jobs/new`);
      await page.waitForSelector("[data-testid=job-editor]");
      await page.fill("#id", "i18n.strict");
      // StrictParamsJob: params { name: min 1, count: positive int }, secrets { token: min 8 }.
      await page.selectOption("#handlerPath", "test_jobs.behaviours:StrictParamsJob");
      await page.click("[data-testid=cfg-view-json]");
      await page.fill("#publicCfg", '{"name": "n", "count": 2}');
      // The trigger preview's problem (the server's cron check), its detail worded from its code.
      await page.fill("#cronExpr", "61 * * * *");
      await expect.poll(() => page.textContent("[data-testid=error-cronExpr]"), { timeout: 15_000 }).toBe('Cron 表达式 "61 * * * *" 无效:分钟必须是 0-59(当前为 "61")');
      await screenshot(page, "i18n-12-cron-problem-zh");
      await setLanguage(page, "en");
      await expect.poll(() => page.textContent("[data-testid=error-cronExpr]")).toBe('Cron expression "61 * * * *" is not valid: minute must be 0-59 (got "61")');
      await setLanguage(page, "zh-CN");
      await page.fill("#cronExpr", "0 3 * * *");
      await page.waitForSelector("[data-testid=error-cronExpr]", { state: "detached" });
      // A secret the handler's schema refuses: only the server sees it; its zod issue comes back coded.
      await page.fill("#secret-token", "short");
      await page.click("[data-testid=save-job]");
      await expect.poll(() => page.textContent("[data-testid=error-secretCfg]")).toBe("token: 至少 8 个字符");
      await screenshot(page, "i18n-13-handler-schema-error-zh");
      expect(await app.runtime.prisma.job.count({ where: { id: "i18n.strict" } })).toBe(0);
    } finally {
      await context.close();
    }
  }, 240_000);
});

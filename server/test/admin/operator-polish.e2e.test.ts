import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { createUser } from "../../src/security/auth/index.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { ensureAdminBuilt, launchBrowser, screenshot } from "./admin-browser.ts";

// Issue 13 items 3, 6 and 9 in a real Chromium at 1440×900 against the real app, in both languages:
// an interval job without a start time, planned runs shown as planned, and the admin's rough edges.

const ADMIN_PASSWORD = "admin-polish-password";
const VIEWER_PASSWORD = "viewer-polish-password";
const HANDLER = "extensions.example.job:ExampleJob";

let app: Awaited<ReturnType<typeof startApp>>;
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let dataDir: ReturnType<typeof tempDataDir>;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  ensureAdminBuilt();
  database = await createScratchDatabase("connecthub_polish");
  await migrate(database.url);
  dataDir = tempDataDir();
  app = await startApp({ DATABASE_URL: database.url, DATA_DIR: dataDir.dir, ADMIN_USERNAME: "admin", ADMIN_PASSWORD });
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

async function openAdmin(lang: "zh-CN" | "en" = "zh-CN"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  if (lang === "en") await context.addInitScript(() => localStorage.setItem("connecthub.locale", "en"));
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${app.baseUrl}/admin/jobs`); // the home is the dashboard; these tests start from the jobs list
  return { context, page };
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", password);
  await page.click("form.login-card button[type=submit]");
  await page.waitForSelector("[data-testid=whoami]");
}

/** Polls wait this long: the machine is shared and often loaded. */
const POLL = { timeout: 20_000 };
const previewItems = (page: Page) => page.locator("[data-testid=trigger-preview] li");

describe("operator polish in the browser (issue 13)", () => {
  for (const lang of ["zh-CN", "en"] as const) {
    const words =
      lang === "zh-CN"
        ? { waiting: "填写间隔秒数", field: "「间隔(秒)」", anchor: "从保存任务的那一刻起", fix: "请先修正标出的字段", created: "已创建" }
        : { waiting: "Enter the interval in seconds", field: "“Interval (seconds)”", anchor: "from the moment the job is saved", fix: "Fix the marked fields", created: "created" };

    it(`an interval job is created without a start time; the preview and the banner follow the fields (${lang})`, async () => {
      const jobId = `polish.interval_${lang === "en" ? "en" : "zh"}`;
      const { context, page } = await openAdmin(lang);
      try {
        await logIn(page, "admin", ADMIN_PASSWORD);
        await page.click("[data-testid=new-job]");
        await page.waitForSelector("[data-testid=job-editor]");
        // The handler dropdown says what each handler does, not only its path.
        const option = await page.locator(`#handlerPath option[value="${HANDLER}"]`).textContent();
        expect(option).toContain("Logs a greeting");
        expect(option).toContain(HANDLER);
        await page.selectOption("#handlerPath", HANDLER);
        await page.click("[data-testid=cfg-view-json]"); // the raw JSON view of the config form
        await page.fill("#publicCfg", '{"name": "Polish"}');

        // Switching to INTERVAL: nothing typed yet is a hint, not a red field.
        await page.check("input[name=triggerType][value=INTERVAL]");
        await expect.poll(() => page.textContent("[data-testid=trigger-preview]"), POLL).toContain(words.waiting);
        expect(await page.locator("[data-testid=error-intervalSeconds]").count()).toBe(0);
        // A malformed interval marks its field, and the preview names that field.
        await page.fill("#intervalSeconds", "9x");
        await page.waitForSelector("[data-field=intervalSeconds] [data-testid=error-intervalSeconds]");
        expect(await page.getAttribute("[data-testid=preview-error]", "data-problem-field")).toBe("intervalSeconds");
        expect(await page.textContent("[data-testid=preview-error]")).toContain(words.field);
        await screenshot(page, `20-editor-interval-invalid-${lang}`);
        // A valid interval with the start left empty previews from now, and says so.
        await page.fill("#intervalSeconds", "90");
        await expect.poll(() => previewItems(page).count(), POLL).toBe(5);
        expect(await page.textContent("[data-testid=anchor-note]")).toContain(words.anchor);
        expect(await page.inputValue("#startAt")).toBe("");
        const [first, second] = await previewItems(page).allTextContents();
        expect(Date.parse(second!.replace(" ", "T").replace(" ", "")) - Date.parse(first!.replace(" ", "T").replace(" ", ""))).toBe(90_000);

        // Saving with no id: the banner and the id field are marked; typing the id clears both.
        await page.click("[data-testid=save-job]");
        await page.waitForSelector("[data-testid=form-error]");
        expect(await page.textContent("[data-testid=form-error]")).toContain(words.fix);
        expect(await page.locator("[data-testid=error-id]").count()).toBe(1);
        await screenshot(page, `21-editor-banner-${lang}`);
        await page.fill("#id", jobId);
        await page.waitForSelector("[data-testid=form-error]", { state: "detached" });
        expect(await page.locator("[data-testid=error-id]").count()).toBe(0);
        await screenshot(page, `22-editor-interval-${lang}`);

        const before = Date.now();
        await page.click("[data-testid=save-job]");
        await page.waitForSelector(`[data-testid="job-row-${jobId}"]`);
        expect(await page.textContent(".toast-area")).toContain(words.created);
        expect(await page.locator("[data-testid=form-error]").count()).toBe(0);
        // Stored anchored at the save: the first slot is one interval after it.
        const job = await app.runtime.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
        expect(job.triggerType).toBe("INTERVAL");
        expect(job.startAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);

        // Editing: the start shows to the second in the admin's date order, is typed the same way,
        // and an untouched start is saved back exactly (milliseconds included).
        await page.locator(`[data-testid="job-row-${jobId}"] [data-testid=edit-job]`).click();
        await page.waitForSelector("[data-testid=job-editor]");
        const stored = await page.inputValue("#startAt");
        expect(stored).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        expect(await page.getAttribute("#startAt", "placeholder")).toBe(lang === "en" ? "YYYY-MM-DD HH:mm:ss" : "年-月-日 时:分:秒");
        await page.fill("#startAt", "01/02/2035");
        await page.waitForSelector("[data-field=startAt] [data-testid=error-startAt]");
        expect(await page.getAttribute("[data-testid=preview-error]", "data-problem-field")).toBe("startAt");
        await page.fill("#startAt", "2035-01-02 8:00");
        await expect.poll(() => previewItems(page).first().textContent(), POLL).toBe("2035-01-02 08:00:00 +08:00");
        await screenshot(page, `22-editor-interval-start-${lang}`);
        await page.fill("#startAt", stored);
        await page.fill("#description", "edited");
        await page.click("[data-testid=save-job]");
        await page.waitForSelector(`[data-testid="job-row-${jobId}"]`);
        const edited = await app.runtime.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
        expect(edited.description).toBe("edited");
        expect(edited.startAt!.getTime()).toBe(job.startAt!.getTime());
      } finally {
        await context.close();
      }
    });
  }

  it("planned runs show as planned with their slot; last run and order count only what started or matters", async () => {
    const prisma = app.runtime.prisma;
    await prisma.job.create({ data: { id: "polish.planned", handlerPath: HANDLER, publicCfg: { name: "P" }, cronExpr: "*/5 * * * *", enabled: false } });
    const minute = 60_000;
    const now = Date.now();
    const started = await prisma.jobLog.create({
      data: { jobId: "polish.planned", status: "SUCCESS", trigger: "CRON", snapshotParams: {}, scheduledAt: new Date(now - 10 * minute), createdAt: new Date(now - 10 * minute), startedAt: new Date(now - 10 * minute), finishedAt: new Date(now - 9 * minute) },
    });
    const planned = await prisma.jobLog.create({ data: { jobId: "polish.planned", status: "QUEUED", trigger: "CRON", snapshotParams: {}, scheduledAt: new Date(now + 30 * minute) } });
    // Created last for the earliest slot: it sorts by its slot, at the bottom.
    const catchup = await prisma.jobLog.create({
      data: { jobId: "polish.planned", status: "SUCCESS", trigger: "CATCHUP", snapshotParams: {}, scheduledAt: new Date(now - 20 * minute), startedAt: new Date(now - minute), finishedAt: new Date(now - minute) },
    });
    const neverStarted = await prisma.jobLog.create({ data: { jobId: "polish.planned", status: "CANCELLED", trigger: "MANUAL", snapshotParams: {}, finishedAt: new Date() } });

    for (const lang of ["zh-CN", "en"] as const) {
      const { context, page } = await openAdmin(lang);
      try {
        await logIn(page, "admin", ADMIN_PASSWORD);
        // The jobs list's last run is one that started (the catch-up), never the planned or cancelled one.
        const row = page.locator('[data-testid="job-row-polish.planned"]');
        await row.waitFor();
        expect(await row.locator(`a[href='/admin/runs/${catchup.id}']`).count()).toBe(1);
        expect(await row.locator("[data-testid=last-run-time]").textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00$/);

        // The runs list: newest by slot or creation; the planned run shows its slot, not a start.
        await page.goto(`${app.baseUrl}/admin/runs?job=polish.planned`);
        const rows = page.locator("[data-testid^=run-row-]");
        await expect.poll(() => rows.count(), POLL).toBe(4);
        const order = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-testid")!.replace("run-row-", ""))));
        expect(order).toEqual([planned.id, neverStarted.id, started.id, catchup.id]);
        const plannedRow = page.locator(`[data-testid=run-row-${planned.id}]`);
        expect(await plannedRow.locator(".badge").getAttribute("data-planned")).toBe("true");
        expect(await plannedRow.locator(".badge").textContent()).toBe(lang === "en" ? "Planned" : "已计划");
        expect(await plannedRow.locator("[data-testid=run-when]").textContent()).toContain(lang === "en" ? "Planned" : "计划");
        expect(await page.locator(`[data-testid=run-row-${neverStarted.id}] [data-testid=run-when]`).textContent()).toBe(lang === "en" ? "Not started" : "尚未开始");
        await screenshot(page, `23-runs-planned-${lang}`);

        // The date filters are typed in the admin's own order, whatever the browser's locale.
        const from = page.locator("[data-testid=filter-from]");
        expect(await from.getAttribute("type")).toBe("text");
        expect(await from.getAttribute("placeholder")).toBe(lang === "en" ? "YYYY-MM-DD HH:mm" : "年-月-日 时:分");
        await from.fill("11/29/2026");
        await from.press("Enter");
        await page.waitForSelector("[data-testid=filter-from-error]");
        expect(new URL(page.url()).searchParams.get("from")).toBeNull();
        await screenshot(page, `24-runs-date-filter-${lang}`);
        await from.fill("2026-01-31 08:00");
        await from.press("Enter");
        await page.waitForURL((url) => url.searchParams.get("from") === "2026-01-31T08:00");
        await page.waitForSelector("[data-testid=filter-from-error]", { state: "detached" });

        // The planned run's page: planned, no start time; the cancel dialog says "Back" / "Cancel run".
        await page.goto(`${app.baseUrl}/admin/runs/${planned.id}`);
        await page.waitForSelector("[data-testid=planned-note]");
        expect(await page.locator(".page-head .badge").getAttribute("data-planned")).toBe("true");
        await page.click("[data-testid=cancel-run]");
        await page.waitForSelector("[data-testid=confirm-dialog]");
        expect(await page.textContent("[data-testid=confirm-back]")).toBe(lang === "en" ? "Back" : "返回");
        expect(await page.textContent("[data-testid=confirm-ok]")).toBe(lang === "en" ? "Cancel run" : "取消运行");
        await screenshot(page, `25-cancel-dialog-${lang}`);
        await page.click("[data-testid=confirm-back]");
        await page.waitForSelector("[data-testid=confirm-dialog]", { state: "detached" });
        expect((await prisma.jobLog.findUniqueOrThrow({ where: { id: planned.id } })).cancelRequestedAt).toBeNull();
      } finally {
        await context.close();
      }
    }
  });

  it("at 1440 px the search placeholder fits and each row's actions stay on one line, in both languages", async () => {
    await app.runtime.prisma.job.create({
      data: {
        id: "polish.a_rather_long_job_identifier_for_width",
        description: "Synchronises the organisation's members, departments and reporting lines from OA into Didi every night",
        handlerPath: "extensions.sync_oa_to_didi.job:SyncOAToDidiTokenJob",
        publicCfg: {},
        cronExpr: "30 2 * * *",
        timezone: "America/New_York",
      },
    });
    for (const lang of ["zh-CN", "en"] as const) {
      const { context, page } = await openAdmin(lang);
      try {
        await logIn(page, "admin", ADMIN_PASSWORD);
        await page.waitForSelector("[data-testid=jobs-table]");
        const fits = await page.evaluate(() => {
          const input = document.querySelector(".filters input[type=search]") as HTMLInputElement;
          const style = getComputedStyle(input);
          const ctx = document.createElement("canvas").getContext("2d")!;
          ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return { text: ctx.measureText(input.placeholder).width, room };
        });
        expect(fits.text, `${lang} placeholder ${fits.text}px in ${fits.room}px`).toBeLessThanOrEqual(fits.room);
        const lines = await page.locator("[data-testid^=job-row-] .row-actions").evaluateAll((els) =>
          els.map((el) => {
            const tops = new Set([...el.children].map((c) => Math.round((c as HTMLElement).getBoundingClientRect().top)));
            return tops.size;
          }),
        );
        expect(lines.length).toBeGreaterThan(0);
        expect(lines.every((n) => n === 1), `${lang} rows of buttons per job: ${lines.join(",")}`).toBe(true);
        // Nor are they pushed out of sight: the table fits without scrolling sideways.
        const table = await page.evaluate(() => {
          const wrap = document.querySelector(".table-wrap") as HTMLElement;
          return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
        });
        expect(table.scroll, `${lang} table ${table.scroll}px in ${table.client}px`).toBeLessThanOrEqual(table.client);
        await screenshot(page, `26-jobs-1440-${lang}`);
      } finally {
        await context.close();
      }
    }
  });

  it("a viewer opening a new job gets a permission notice, not an error", async () => {
    for (const lang of ["zh-CN", "en"] as const) {
      const { context, page } = await openAdmin(lang);
      try {
        await logIn(page, "viewer", VIEWER_PASSWORD);
        await page.goto(`${app.baseUrl}/admin/jobs/new`);
        await page.waitForSelector("[data-testid=not-allowed]");
        expect(await page.locator(".state-error").count()).toBe(0);
        expect(await page.textContent("[data-testid=not-allowed]")).toContain(lang === "en" ? "Not allowed" : "没有权限");
        await screenshot(page, `27-viewer-new-job-${lang}`);
      } finally {
        await context.close();
      }
    }
  });
});

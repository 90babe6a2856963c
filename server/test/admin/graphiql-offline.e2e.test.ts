import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { launchBrowser, screenshot } from "./admin-browser.ts";

// GraphiQL on an intranet: the browser may reach this server and nothing else.

const ADMIN_PASSWORD = "graphiql-offline-password";

let app: Awaited<ReturnType<typeof startApp>>;
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
let dataDir: ReturnType<typeof tempDataDir>;
let browser: Browser;

beforeAll(async () => {
  database = await createScratchDatabase("connecthub_graphiql");
  await migrate(database.url);
  dataDir = tempDataDir();
  app = await startApp({ DATABASE_URL: database.url, DATA_DIR: dataDir.dir, ADMIN_USERNAME: "admin", ADMIN_PASSWORD }, "api");
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await database?.drop();
  dataDir?.cleanup();
});

describe("GraphiQL without internet", () => {
  it("the page names no URL outside this server", async () => {
    const res = await fetch(`${app.baseUrl}/graphql`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<link rel="icon" href="/graphql/graphiql/favicon.ico"');
    expect(html.match(/https?:\/\/[^"' )>]+/g) ?? []).toEqual([]);
    // The linked files are served from here, compressed when the browser accepts it.
    const js = await fetch(`${app.baseUrl}/graphql/graphiql/yoga-graphiql.js`, { headers: { "accept-encoding": "gzip" } });
    expect(js.status).toBe(200);
    expect(js.headers.get("content-encoding")).toBe("gzip");
    expect(js.headers.get("content-type")).toContain("javascript");
    expect((await fetch(`${app.baseUrl}/graphql/graphiql/favicon.ico`)).headers.get("content-type")).toBe("image/x-icon");
    expect((await fetch(`${app.baseUrl}/graphql/graphiql/../../auth/session`)).status).not.toBe(200);
    expect((await fetch(`${app.baseUrl}/graphql/graphiql/nothing.js`)).status).toBe(404);
  });

  it("renders and runs a query in Chromium with every other host blocked", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const blocked: string[] = [];
    const pageErrors: string[] = [];
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.origin === app.baseUrl || url.protocol === "blob:" || url.protocol === "data:") return route.continue();
      blocked.push(url.href);
      return route.abort("internetdisconnected");
    });
    try {
      // Logged in with a session: the page pre-fills the CSRF header, so queries run as the admin.
      const login = await context.request.post(`${app.baseUrl}/auth/login`, { data: { username: "admin", password: ADMIN_PASSWORD } });
      expect(login.status()).toBe(200);
      const page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.goto(`${app.baseUrl}/graphql?query=${encodeURIComponent("{ me { name role } }")}`);
      await page.waitForSelector(".graphiql-container", { timeout: 30_000 });
      await page.waitForSelector(".graphiql-execute-button", { timeout: 30_000 });
      await page.click(".graphiql-execute-button");
      await expect.poll(() => page.locator(".graphiql-response").textContent(), { timeout: 30_000 }).toMatch(/"role":\s+"ADMIN"/); // Monaco spaces are U+00A0
      await screenshot(page, "graphiql-offline");
      expect(await page.title()).toContain("GraphQL");
      expect(blocked).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

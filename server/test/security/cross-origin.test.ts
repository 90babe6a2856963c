import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, postGraphql, startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";
import { openSocket } from "./socket-harness.ts";

let f: ApiFixture;
let cookie: string;
let csrfToken: string;
beforeAll(async () => {
  f = await startApiFixture({ CORS_ORIGINS: "https://ops.example.com" }, "api");
  const res = await fetch(`${f.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }) });
  cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  csrfToken = ((await res.json()) as { csrfToken: string }).csrfToken;
});
afterAll(async () => {
  await f?.close();
});

const ME = "{ me { name } }";

describe("cross-origin rules", () => {
  it("a foreign Origin with the session cookie gets no CORS headers; a CORS_ORIGINS origin gets credentialed CORS", async () => {
    const evil = await postGraphql(f.baseUrl, ME, {}, { cookie, "x-csrf-token": csrfToken, origin: "http://evil.example" });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    expect(evil.headers.get("access-control-allow-credentials")).toBeNull();
    const listed = await postGraphql(f.baseUrl, ME, {}, { cookie, "x-csrf-token": csrfToken, origin: "https://ops.example.com" });
    expect(listed.headers.get("access-control-allow-origin")).toBe("https://ops.example.com");
    expect(listed.headers.get("access-control-allow-credentials")).toBe("true");
    const preflight = await fetch(`${f.baseUrl}/graphql`, { method: "OPTIONS", headers: { origin: "http://evil.example", "access-control-request-method": "POST" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("a cookie WebSocket needs an allowed Origin: none, foreign, or foreign with a forged X-Forwarded-Host are refused (4403)", async () => {
    const host = new URL(f.baseUrl).host;
    const refused: Array<Record<string, string>> = [{ cookie }, { cookie, origin: "http://evil.example" }, { cookie, origin: "http://evil.example", "x-forwarded-host": "evil.example" }];
    for (const headers of refused) {
      await expect(openSocket(f.baseUrl, { headers })).rejects.toThrow(/4403/);
    }
    const same = await openSocket(f.baseUrl, { headers: { cookie, origin: `http://${host}` } });
    expect((await same.ask(ME)).data.me.name).toBe("admin");
    await same.dispose();
    const listed = await openSocket(f.baseUrl, { headers: { cookie, origin: "https://ops.example.com" } });
    expect((await listed.ask(ME)).data.me.name).toBe("admin");
    await listed.dispose();
  });

  it("the GraphiQL page embeds the CSRF token only for a same-origin request", async () => {
    const page = (site: string) => fetch(`${f.baseUrl}/graphql`, { headers: { accept: "text/html", cookie, "sec-fetch-site": site } }).then((r) => r.text());
    expect(await page("same-origin")).toContain(csrfToken);
    const crossSite = await page("cross-site");
    expect(crossSite).toContain("GraphiQL");
    expect(crossSite).not.toContain(csrfToken);
  });
});

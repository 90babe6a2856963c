import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ADMIN_PASSWORD, postGraphql, startApiFixture, type ApiFixture, wsClient, collect, bearer } from "../graphql/api-harness.ts";

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture({ SESSION_TTL_HOURS: "2" });
});
afterAll(async () => {
  await f?.close();
});

async function login(username: string, password: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${f.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: (await res.json()) as any, cookie: res.headers.get("set-cookie") };
}

function cookieOf(setCookie: string | null): string {
  return setCookie!.split(";")[0]!;
}

describe("authentication over HTTP", () => {
  it("answers /health and /ready without credentials but nothing of GraphQL", async () => {
    expect((await fetch(`${f.baseUrl}/health`)).status).toBe(200);
    expect((await fetch(`${f.baseUrl}/ready`)).status).toBe(200);
    const anonymous = await postGraphql(f.baseUrl, "{ jobs { totalCount } }");
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const wrongToken = await postGraphql(f.baseUrl, "{ me { name } }", {}, bearer("chub_not-a-real-token"));
    expect(wrongToken.status).toBe(401);
  });

  it("serves the GraphiQL page (no data) to a browser without credentials", async () => {
    const res = await fetch(`${f.baseUrl}/graphql`, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("GraphiQL");
  });

  it("the first admin comes from ADMIN_PASSWORD and logs in with an HttpOnly SameSite=Lax session cookie", async () => {
    const ok = await login("admin", ADMIN_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.user).toEqual({ username: "admin", role: "ADMIN" });
    expect(typeof ok.body.csrfToken).toBe("string");
    expect(ok.cookie).toMatch(/^connecthub_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=7\d{3}/);
    expect(ok.cookie).not.toContain("Secure");
    // Only the hash of the cookie is stored.
    const value = cookieOf(ok.cookie).split("=")[1]!;
    expect(await f.app.runtime.prisma.session.count({ where: { id: value } })).toBe(0);

    const session = await fetch(`${f.baseUrl}/auth/session`, { headers: { cookie: cookieOf(ok.cookie) } });
    expect(session.status).toBe(200);
    expect(await session.json()).toEqual({ user: { username: "admin", role: "ADMIN" }, csrfToken: ok.body.csrfToken });
  });

  it("gives the same 401 message for an unknown user and a wrong password", async () => {
    const unknown = await login("nobody-here", "whatever-password");
    const wrong = await login("admin", "wrong-password!");
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.cookie).toBeNull();
  });

  it("marks the cookie Secure when a trusted proxy says the request came over https", async () => {
    const tls = await startApiFixture({ TRUST_PROXY: "true" });
    try {
      const res = await fetch(`${tls.baseUrl}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
        body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
      });
      expect(res.headers.get("set-cookie")).toContain("; Secure");
    } finally {
      await tls.close();
    }
  });

  it("requires the x-csrf-token header on GraphQL requests authenticated by the cookie", async () => {
    const { body, cookie } = await login("admin", ADMIN_PASSWORD);
    const withoutHeader = await postGraphql(f.baseUrl, "{ me { name role } }", {}, { cookie: cookieOf(cookie) });
    expect(withoutHeader.status).toBe(403);
    expect(withoutHeader.json.errors?.[0]?.extensions?.code).toBe("CSRF_TOKEN_INVALID");
    const wrongHeader = await postGraphql(f.baseUrl, "{ me { name role } }", {}, { cookie: cookieOf(cookie), "x-csrf-token": "forged" });
    expect(wrongHeader.status).toBe(403);
    const ok = await postGraphql(f.baseUrl, "{ me { name role kind } }", {}, { cookie: cookieOf(cookie), "x-csrf-token": body.csrfToken });
    expect(ok.status).toBe(200);
    expect(ok.json.data.me).toEqual({ name: "admin", role: "ADMIN", kind: "USER" });
  });

  it("logout ends the session", async () => {
    const { cookie } = await login("admin", ADMIN_PASSWORD);
    const out = await fetch(`${f.baseUrl}/auth/logout`, { method: "POST", headers: { cookie: cookieOf(cookie) } });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await fetch(`${f.baseUrl}/auth/session`, { headers: { cookie: cookieOf(cookie) } })).status).toBe(401);
  });

  it("rate-limits failed logins per username and IP with 429, even for the right password", async () => {
    const user = "limited-user";
    await f.app.runtime.prisma.user.deleteMany({ where: { username: user } });
    const { createUser } = await import("../../src/security/auth/index.ts");
    await createUser(f.app.runtime.prisma, user, "the-right-password", "VIEWER");
    for (let i = 0; i < 5; i++) expect((await login(user, `wrong-${i}-password`)).status).toBe(401);
    const limited = await login(user, "the-right-password");
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatch(/try again/);
    // Another username from the same IP is not affected.
    expect((await login("admin", ADMIN_PASSWORD)).status).toBe(200);
  }, 180_000); // seven scrypt hashes at N=2^17 on a busy machine

  it("a revoked API token stops working", async () => {
    const { createApiToken, revokeApiToken } = await import("../../src/security/auth/index.ts");
    const { token, record } = await createApiToken(f.app.runtime.prisma, "short-lived", "VIEWER");
    expect((await postGraphql(f.baseUrl, "{ me { name } }", {}, bearer(token))).status).toBe(200);
    const stored = await f.app.runtime.prisma.apiToken.findUniqueOrThrow({ where: { id: record.id } });
    expect(stored.tokenHash).not.toContain(token);
    await revokeApiToken(f.app.runtime.prisma, "short-lived");
    expect((await postGraphql(f.baseUrl, "{ me { name } }", {}, bearer(token))).status).toBe(401);
  });
});

describe("authentication over WebSocket", () => {
  const query = "subscription { jobLogUpdated(logId: 999999) { kind } }";

  it("refuses a connection without credentials: closed with 4403 and no event arrives", async () => {
    const socket = new WebSocket(`${f.baseUrl.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
    const received: string[] = [];
    socket.on("message", (data) => {
      received.push(String(data));
      // Were the connection accepted, this would start a stream of events.
      if (JSON.parse(String(data)).type === "connection_ack") socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { jobLogUpdated { kind } }" } }));
    });
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init" })));
    const code = await new Promise<number>((resolve) => socket.on("close", (c) => resolve(c)));
    expect(code).toBe(4403);
    expect(received).toEqual([]);
  });

  it("accepts connectionParams.authorization and the same-origin session cookie, refuses a foreign Origin", async () => {
    const byToken = wsClient(f.baseUrl, { token: f.tokens.VIEWER });
    // A missing run is reported as an error, which proves the connection was accepted and the operation ran.
    await expect(collect(byToken, query, {}, () => true, 10_000)).rejects.toThrow(/does not exist/);
    await byToken.dispose();

    const { cookie } = await login("admin", ADMIN_PASSWORD);
    const host = new URL(f.baseUrl).host;
    const sameOrigin = wsClient(f.baseUrl, { headers: { cookie: cookieOf(cookie), origin: `http://${host}` } });
    await expect(collect(sameOrigin, query, {}, () => true, 10_000)).rejects.toThrow(/does not exist/);
    await sameOrigin.dispose();

    const foreign = wsClient(f.baseUrl, { headers: { cookie: cookieOf(cookie), origin: "http://evil.example" } });
    await expect(collect(foreign, query, {}, () => true, 10_000)).rejects.not.toThrow(/does not exist/);
    await foreign.dispose();
  });
});

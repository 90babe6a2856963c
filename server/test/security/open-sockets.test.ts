import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createSession, createUser, deleteUser, revokeApiToken, setPassword, setUserDisabled, setUserRole } from "../../src/security/auth/index.ts";
import { ADMIN_PASSWORD, EXAMPLE_HANDLER, startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { openSocket } from "./socket-harness.ts";

// Two API processes on one database: credentials are changed through `f`, sockets are held by `other`.
let f: ApiFixture;
let other: Awaited<ReturnType<typeof startApp>>;
let otherData: ReturnType<typeof tempDataDir>;
beforeAll(async () => {
  f = await startApiFixture({}, "api");
  otherData = tempDataDir();
  other = await startApp({ DATABASE_URL: f.databaseUrl, DATA_DIR: otherData.dir, ADMIN_PASSWORD, FERNET_KEY_PATH: `${f.dataDir}/fernet.key` }, "api");
  await f.app.runtime.prisma.job.create({ data: { id: "sockets.job", cronExpr: "0 9 * * *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "x" } } });
});
afterAll(async () => {
  await other?.stop();
  otherData?.cleanup();
  await f?.close();
});

const ALL_RUNS = "subscription { jobLogUpdated { kind logId } }";
const ME = "{ me { name role } }";
const RUN_NOW = `mutation { runNow(jobId: "sockets.job") { __typename ... on MutationRunNowSuccess { data { id } } } }`;
const origin = () => ({ origin: other.baseUrl });

async function loginCookie(username: string, password: string): Promise<string> {
  const res = await fetch(`${f.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  expect(res.status).toBe(200);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

async function freshUser(name: string, role: "VIEWER" | "ADMIN" = "VIEWER"): Promise<string> {
  await f.app.runtime.prisma.user.deleteMany({ where: { username: name } });
  await createUser(f.app.runtime.prisma, name, "a-long-password-1", role);
  return loginCookie(name, "a-long-password-1");
}

describe("open sockets follow the credential's current state, across API processes", () => {
  it("a revoked API token closes its WebSocket held by another API process with 4401, and no event arrives after", async () => {
    const { token } = await createApiToken(f.app.runtime.prisma, "ws-revoked", "VIEWER");
    const socket = await openSocket(other.baseUrl, { token });
    expect((await socket.ask(ME)).data.me.name).toBe("ws-revoked");
    socket.watch(ALL_RUNS);
    await revokeApiToken(f.app.runtime.prisma, "ws-revoked", f.app.runtime.events);
    expect(await socket.closed).toBe(4401);
    const seen = socket.events.length;
    // A run queued now would be an event for an open socket; the closed one receives nothing.
    // Named as held by a queue job, so no worker of the app takes this hand-made run from the table.
    await f.app.runtime.prisma.jobLog.create({ data: { jobId: "sockets.job", trigger: "MANUAL", snapshotParams: {}, status: "QUEUED", queueJobId: "held-by-test" } });
    await f.app.runtime.events.publish("jobLog.status", { logId: 1, jobId: "sockets.job", status: "QUEUED", at: new Date().toISOString() });
    expect(socket.events.length).toBe(seen);
    await socket.dispose();
  });

  it("a runNow sent with a revoked ADMIN token is refused even when nobody announced the revocation", async () => {
    const { token } = await createApiToken(f.app.runtime.prisma, "ws-admin", "ADMIN");
    const socket = await openSocket(other.baseUrl, { token });
    expect((await socket.ask(ME)).data.me.role).toBe("ADMIN");
    await revokeApiToken(f.app.runtime.prisma, "ws-admin"); // no event bus: only the per-operation check can catch it
    const before = await f.app.runtime.prisma.jobLog.count({ where: { jobId: "sockets.job", trigger: "MANUAL" } });
    const res = await socket.ask(RUN_NOW);
    expect(res.errors?.[0]?.extensions?.code ?? res.errors?.[0]?.message).toMatch(/UNAUTHENTICATED|credentials/);
    expect(res.data?.runNow ?? null).toBeNull();
    expect(await f.app.runtime.prisma.jobLog.count({ where: { jobId: "sockets.job", trigger: "MANUAL" } })).toBe(before);
    expect(await socket.closed).toBe(4401);
    await socket.dispose();
  });

  it("logout on one process closes the session's WebSocket on another with 4401", async () => {
    const cookie = await loginCookie("admin", ADMIN_PASSWORD);
    const socket = await openSocket(other.baseUrl, { headers: { cookie, ...origin() } });
    expect((await socket.ask(ME)).data.me.name).toBe("admin");
    socket.watch(ALL_RUNS);
    const out = await fetch(`${f.baseUrl}/auth/logout`, { method: "POST", headers: { cookie } });
    expect(out.status).toBe(200);
    expect(await socket.closed).toBe(4401);
    await socket.dispose();
  });

  it.each([
    ["a password change", 4401, (name: string) => setPassword(f.app.runtime.prisma, name, "another-password-2", f.app.runtime.events)],
    ["disabling the user", 4401, (name: string) => setUserDisabled(f.app.runtime.prisma, name, true, f.app.runtime.events)],
    ["deleting the user", 4401, (name: string) => deleteUser(f.app.runtime.prisma, name, f.app.runtime.events)],
    ["a role change", 4403, (name: string) => setUserRole(f.app.runtime.prisma, name, "OPERATOR", f.app.runtime.events)],
  ] as const)("%s closes the user's open WebSocket with %i", async (_what, code, change) => {
    const name = `sock-user-${code}-${Math.random().toString(36).slice(2, 8)}`;
    const cookie = await freshUser(name);
    const socket = await openSocket(other.baseUrl, { headers: { cookie, ...origin() } });
    expect((await socket.ask(ME)).data.me.name).toBe(name);
    await change(name);
    expect(await socket.closed).toBe(code);
    await socket.dispose();
  });

  it("a session's WebSocket closes when the session expires", async () => {
    const user = await f.app.runtime.prisma.user.findUniqueOrThrow({ where: { username: "admin" } });
    const session = await createSession(f.app.runtime.prisma, user.id, 5 / 3600); // 5 s
    const socket = await openSocket(other.baseUrl, { headers: { cookie: `connecthub_session=${session.cookieValue}`, ...origin() } });
    expect(await socket.closed).toBe(4401);
    await socket.dispose();
  });

  it("an SSE stream ends when its token is revoked on another process", async () => {
    const { token } = await createApiToken(f.app.runtime.prisma, "sse-revoked", "VIEWER");
    const res = await fetch(`${other.baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ALL_RUNS }),
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader(); // headers arrived: the stream is open
    await revokeApiToken(f.app.runtime.prisma, "sse-revoked", f.app.runtime.events);
    // Reading ends (done or a reset connection) instead of waiting for further events.
    let ended = false;
    try {
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
      }
      ended = true;
    } catch {
      ended = true;
    }
    expect(ended).toBe(true);
  });
});

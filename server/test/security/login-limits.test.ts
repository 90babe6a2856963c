import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../src/security/auth/index.ts";
import { hashPassword } from "../../src/security/auth/password.ts";
import { startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";
import { startApp, tempDataDir } from "../harness/app.ts";

// Two API processes on one database, each with its own connections: the limits must be shared.
let f: ApiFixture;
let other: Awaited<ReturnType<typeof startApp>>;
let otherData: ReturnType<typeof tempDataDir>;
beforeAll(async () => {
  f = await startApiFixture({ LOGIN_MAX_FAILURES: "5", LOGIN_MAX_FAILURES_PER_ADDRESS: "1000" }, "api");
  otherData = tempDataDir();
  other = await startApp({ DATABASE_URL: f.databaseUrl, DATA_DIR: otherData.dir, LOGIN_MAX_FAILURES: "5", LOGIN_MAX_FAILURES_PER_ADDRESS: "1000" }, "api");
});
afterAll(async () => {
  await other?.stop();
  otherData?.cleanup();
  await f?.close();
});

function login(baseUrl: string, username: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ username, password }) });
}

describe("login limits hold under concurrency and across processes", () => {
  it("200 wrong passwords sent at once to two API processes check the password at most 5 times", async () => {
    await createUser(f.app.runtime.prisma, "burst-target", "the-right-password", "VIEWER");
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => login(i % 2 ? f.baseUrl : other.baseUrl, "burst-target", `wrong-${i}`).then((r) => r.status)));
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(checked).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429).length).toBe(200 - checked);
    // The right password is refused too while the limit holds.
    expect((await login(f.baseUrl, "burst-target", "the-right-password")).status).toBe(429);
  });

  it("limits by client address across usernames (per-address limit)", async () => {
    const limited = await startApp({ DATABASE_URL: f.databaseUrl, DATA_DIR: otherData.dir, LOGIN_MAX_FAILURES: "5", LOGIN_MAX_FAILURES_PER_ADDRESS: "3", TRUST_PROXY: "true" }, "api");
    try {
      const from = { "x-forwarded-for": "203.0.113.77" };
      const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => login(limited.baseUrl, `nobody-${i}`, "whatever-password", from).then((r) => r.status)));
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
      // Another address is not affected.
      expect((await login(limited.baseUrl, "nobody-x", "whatever-password", { "x-forwarded-for": "203.0.113.78" })).status).toBe(401);
    } finally {
      await limited.stop();
    }
  });

  it("an old scrypt hash (N=16384) is re-hashed with N=2^17 at the next successful login", async () => {
    const prisma = f.app.runtime.prisma;
    const user = await createUser(prisma, "old-hash-user", "the-old-password", "VIEWER");
    // A hash in the format the previous release wrote (N=16384), made by hand.
    const { scrypt, randomBytes } = await import("node:crypto");
    const salt = randomBytes(16);
    const key = await new Promise<Buffer>((resolve, reject) => scrypt("the-old-password", salt, 64, { N: 16384, r: 8, p: 1 }, (e, k) => (e ? reject(e) : resolve(k))));
    await prisma.user.update({ where: { id: user.id }, data: { passwordHash: ["scrypt", 16384, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$") } });
    expect((await login(f.baseUrl, "old-hash-user", "the-old-password")).status).toBe(200);
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordHash.split("$").slice(0, 4)).toEqual(["scrypt", "131072", "8", "1"]);
    expect((await login(f.baseUrl, "old-hash-user", "the-old-password")).status).toBe(200);
    expect((await hashPassword("x")).startsWith("scrypt$131072$8$1$")).toBe(true);
  });
});

import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import net from "node:net";
import { buildApp } from "../../src/app.ts";
import { startApp, tempDataDir, testConfig } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

const data = tempDataDir();
afterAll(() => data.cleanup());

describe("first start without ADMIN_PASSWORD", () => {
  it("creates the admin with a generated password in a 0600 file that logs in, once", async () => {
    const db = await createScratchDatabase();
    const env = { DATABASE_URL: db.url, DATA_DIR: data.dir, ADMIN_USERNAME: "root" };
    let app = await startApp(env);
    try {
      const file = path.join(data.dir, "initial-admin-password");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, "utf8").trim();
      expect(password.length).toBeGreaterThanOrEqual(20);

      const login = await fetch(`${app.baseUrl}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "root", password }),
      });
      expect(login.status).toBe(200);
      expect(await login.json()).toMatchObject({ user: { username: "root", role: "ADMIN" } });

      await app.stop();
      app = await startApp(env);
      expect(await app.runtime.prisma.user.count()).toBe(1);
      expect(readFileSync(file, "utf8").trim()).toBe(password);
    } finally {
      await app.stop();
      await db.drop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe("first start with ADMIN_PASSWORD", () => {
  it("the admin exists by the time /health first answers, so an immediate login works", async () => {
    const db = await createScratchDatabase();
    const dir = tempDataDir();
    const port = await freePort();
    const app = await buildApp(testConfig({ DATABASE_URL: db.url, DATA_DIR: dir.dir, ADMIN_USERNAME: "early", ADMIN_PASSWORD: "early-bird-password", PORT: String(port) }), "all");
    const starting = app.start();
    try {
      // Poll /health as a deploy script would, and log in at its first answer.
      let login: number | null = null;
      for (let i = 0; i < 600 && login === null; i++) {
        const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
        if (health?.ok) {
          const res = await fetch(`http://127.0.0.1:${port}/auth/login`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ username: "early", password: "early-bird-password" }),
          });
          login = res.status;
        } else await new Promise((r) => setTimeout(r, 20));
      }
      expect(login).toBe(200);
    } finally {
      await (await starting).stop();
      await db.drop();
      dir.cleanup();
    }
  });
});

import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startApp, tempDataDir } from "../harness/app.ts";
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

import { statSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startApp, tempDataDir } from "../harness/app.ts";

const data = tempDataDir();
afterAll(() => data.cleanup());

describe("embedded mode (no DATABASE_URL, no MONGODB_URL)", () => {
  it("serves /health and /ready, and keeps data and key across a restart", async () => {
    const first = await startApp({ DATA_DIR: data.dir, APP_NAME: "Embedded Test" });
    try {
      const health = await fetch(`${first.baseUrl}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true, name: "Embedded Test" });

      const ready = await fetch(`${first.baseUrl}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, storage: "embedded", queue: { ok: true, backend: "postgres" } });

      await first.runtime.prisma.job.create({
        data: { id: "embedded.persisted", cronExpr: "*/5 * * * *", handlerPath: "extensions.example.job:ExampleJob", publicCfg: { name: "world" } },
      });
    } finally {
      await first.stop();
    }
    const keyPath = path.join(data.dir, "fernet.key");
    const key = readFileSync(keyPath, "utf8");
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);

    const second = await startApp({ DATA_DIR: data.dir });
    try {
      const job = await second.runtime.prisma.job.findUnique({ where: { id: "embedded.persisted" } });
      expect(job).toMatchObject({ cronExpr: "*/5 * * * *", publicCfg: { name: "world" } });
      expect(second.runtime.fernetKey).toBe(key.trim());
      expect(readFileSync(keyPath, "utf8")).toBe(key);
    } finally {
      await second.stop();
    }
  });

  it("refuses a second process on the same DATA_DIR instead of corrupting it", async () => {
    const app = await startApp({ DATA_DIR: data.dir });
    try {
      await expect(startApp({ DATA_DIR: data.dir })).rejects.toThrow(/is in use by process/);
    } finally {
      await app.stop();
    }
  });
});

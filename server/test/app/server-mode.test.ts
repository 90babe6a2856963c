import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startFerretDb } from "../harness/ferretdb.ts";
import { startApp, tempDataDir } from "../harness/app.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

const data = tempDataDir();
afterAll(() => data.cleanup());

describe("server mode (DATABASE_URL + MONGODB_URL)", () => {
  it("runs Prisma on PostgreSQL and Agenda on MongoDB, and /ready turns 503 when MongoDB goes away", async () => {
    const db = await createScratchDatabase();
    const ferret = await startFerretDb();
    const app = await startApp({
      DATA_DIR: data.dir,
      DATABASE_URL: db.url,
      MONGODB_URL: `${ferret.url}/connecthub_${randomBytes(3).toString("hex")}`,
    });
    try {
      const ready = await fetch(`${app.baseUrl}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, storage: "server", queue: { backend: "mongodb", ok: true } });

      await ferret.stop();
      const down = await fetch(`${app.baseUrl}/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ ok: false, database: { ok: true }, queue: { ok: false } });
      expect((await fetch(`${app.baseUrl}/health`)).status).toBe(200);
    } finally {
      await app.stop();
      await ferret.stop();
      await db.drop();
    }
  });

  it("shares the run's migrated database with the harness", () => {
    expect(inject("databaseUrl")).toMatch(/^postgresql:\/\//);
  });
});

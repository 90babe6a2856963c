import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { deployment, eventually, ready, spawnRole, type Deployment, type RoleProcess } from "../harness/processes.ts";
import { outputs } from "./fault-setup.ts";

// A first deploy (docker compose up): api and two workers start at the same moment on a fresh,
// migrated database; whatever Agenda needs is made once, under the migrator's lock.
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
});

async function startTogether(env: Record<string, string>): Promise<{ procs: RoleProcess[]; deploy: Deployment }> {
  const db = await createScratchDatabase("connecthub_first");
  cleanups.push(() => db.drop());
  await migrate(db.url);
  const deploy = await deployment(db.url, env);
  cleanups.push(async () => deploy.cleanup());
  const procs = await Promise.all([spawnRole("api", deploy), spawnRole("worker", deploy), spawnRole("worker", deploy)]);
  cleanups.push(() => Promise.all(procs.map((p) => p.stop("SIGKILL"))).then(() => undefined));
  return { procs, deploy };
}

describe.each([
  ["Agenda on PostgreSQL", {}],
  ["Agenda on MongoDB", { MONGODB_URL: "" }],
])("api and two workers started at once on a fresh database (%s)", (name, env) => {
  it("all come up and stay up, and the api is ready", { timeout: 240_000 }, async () => {
    const mongo = name.includes("MongoDB") ? { MONGODB_URL: `${inject("mongoUrl")}/first_${randomBytes(3).toString("hex")}` } : env;
    const { procs } = await startTogether(mongo);
    const [api, ...workers] = procs as [RoleProcess, RoleProcess, RoleProcess];
    try {
      await eventually("the api ready", async () => (await ready(api))?.status === 200, 180_000);
      await eventually("both workers started", async () => workers.every((w) => /ConnectHub worker started/.test(w.output()) || !w.alive()), 180_000);
      expect(procs.map((p) => p.alive())).toEqual([true, true, true]);
      expect(procs.map((p) => p.output()).join("\n")).not.toMatch(/duplicate key|pg_class_relname_nsp_index|E11000/);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${outputs(procs)}`);
    }
  });
});

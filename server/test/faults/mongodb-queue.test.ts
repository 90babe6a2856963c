import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually, ready, spawnRole, type RoleProcess } from "../harness/processes.ts";
import { createJob, faultSetup, finalStatuses, outputs, runNow, SLEEP_HANDLER, type FaultSetup } from "./fault-setup.ts";

// Server mode with Agenda on MongoDB (FerretDB): PostgreSQL (runs, events) goes away while the
// queue store stays; the process must come back the same way.
let setup: FaultSetup;
let procs: RoleProcess[] = [];
beforeAll(async () => {
  setup = await faultSetup({ MONGODB_URL: `${inject("mongoUrl")}/faults_${randomBytes(3).toString("hex")}` });
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop("SIGKILL")));
  await setup?.close();
});

describe("MongoDB queue: PostgreSQL connections terminated, then PostgreSQL stopped for 30 s", () => {
  it("keeps the process up, names the stores that are away, and runs every run", { timeout: 300_000 }, async () => {
    procs = [await spawnRole("all", setup.deploy, { WORKER_CONCURRENCY: "1" })];
    const [all] = procs as [RoleProcess];
    try {
      await eventually("all ready", async () => (await ready(all))?.status === 200, 120_000);
      expect((await ready(all))?.body).toMatchObject({ queue: { backend: "mongodb" } });
      await createJob(all, setup.token, { id: "faults.slow", handlerPath: SLEEP_HANDLER, publicCfg: { ms: 6000 } });
      await createJob(all, setup.token, { id: "faults.quick", handlerPath: SLEEP_HANDLER, publicCfg: { ms: 100 } });

      expect(await setup.cluster.terminateConnections("connecthub")).toBeGreaterThan(2);
      await eventually("ready after the blip", async () => (await ready(all))?.status === 200, 60_000);
      const first = await runNow(all, setup.token, "faults.quick");
      expect(await finalStatuses(setup.prisma, [first])).toEqual({ [first]: "SUCCESS" });

      const slow = await runNow(all, setup.token, "faults.slow");
      await eventually("the slow run RUNNING", async () => (await setup.prisma.jobLog.findUnique({ where: { id: slow } }))?.status === "RUNNING", 60_000);
      const queued = [await runNow(all, setup.token, "faults.quick"), await runNow(all, setup.token, "faults.quick")];
      await setup.prisma.$disconnect();
      await setup.cluster.stop();
      const down = await eventually("/ready 503 naming the database and events", async () => {
        const r = await ready(all);
        const away = (r?.body.unavailable as string[] | undefined) ?? [];
        return r?.status === 503 && away.includes("database") && away.includes("events") ? r : undefined;
      });
      expect(down.body).toMatchObject({ queue: { ok: true, backend: "mongodb" } });
      await new Promise((r) => setTimeout(r, 30_000));
      expect(all.alive()).toBe(true);
      await setup.cluster.start();
      await eventually("/ready 200 after the outage", async () => (await ready(all))?.status === 200, 90_000);
      expect(await finalStatuses(setup.prisma, [slow, ...queued], 180_000)).toEqual({ [slow]: "SUCCESS", [queued[0]!]: "SUCCESS", [queued[1]!]: "SUCCESS" });
      expect(all.alive()).toBe(true);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${outputs(procs)}`);
    }
  });
});

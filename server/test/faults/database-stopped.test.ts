import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, ready, spawnRole, type RoleProcess } from "../harness/processes.ts";
import { createJob, faultSetup, finalStatuses, NOOP_HANDLER, outputs, runNow, SLEEP_HANDLER, type FaultSetup } from "./fault-setup.ts";
import { expectNoMissedMinutes } from "./slot-accounting.ts";

// Server mode, Agenda on PostgreSQL; the database is stopped (as for a restart or an upgrade)
// while a run is executing and others wait, and started again 30 s later.
const OUTAGE_MS = 30_000;
/** Milliseconds until the wall clock's seconds next reach `second` (0 when already within 8 s past it). */
const untilSecond = (second: number) => {
  const now = Date.now() % 60_000;
  const at = second * 1000;
  return now >= at && now < at + 8000 ? 0 : (at - now + 60_000) % 60_000;
};
let setup: FaultSetup;
let procs: RoleProcess[] = [];
beforeAll(async () => {
  setup = await faultSetup();
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop("SIGKILL")));
  await setup?.close();
});

describe("PostgreSQL stopped for 30 s and started again", () => {
  it("keeps api and worker up, /ready says which store is away, and every run ends as it should", { timeout: 300_000 }, async () => {
    // One run slot: the first run executes through the outage, the next two wait QUEUED.
    procs = await Promise.all([spawnRole("api", setup.deploy), spawnRole("worker", setup.deploy, { WORKER_CONCURRENCY: "1" })]);
    const [api, worker] = procs as [RoleProcess, RoleProcess];
    try {
      await eventually("api ready", async () => (await ready(api))?.status === 200, 120_000);
      await createJob(api, setup.token, { id: "faults.slow", handlerPath: SLEEP_HANDLER, publicCfg: { ms: 20_000 } });
      await createJob(api, setup.token, { id: "faults.quick", handlerPath: SLEEP_HANDLER, publicCfg: { ms: 100 } });
      await createJob(api, setup.token, { id: "faults.minute", enabled: true, cronExpr: "* * * * *", handlerPath: NOOP_HANDLER, publicCfg: {} });

      // From :35, so the outage that follows covers a minute slot of faults.minute.
      await new Promise((r) => setTimeout(r, untilSecond(35)));
      const slow = await runNow(api, setup.token, "faults.slow");
      await eventually("the slow run RUNNING", async () => (await setup.prisma.jobLog.findUnique({ where: { id: slow } }))?.status === "RUNNING", 60_000);
      const queued = [await runNow(api, setup.token, "faults.quick"), await runNow(api, setup.token, "faults.quick")];
      expect((await setup.prisma.jobLog.findMany({ where: { id: { in: queued } } })).map((l) => l.status)).toEqual(["QUEUED", "QUEUED"]);

      await setup.prisma.$disconnect();
      await setup.cluster.stop();
      const down = await eventually("/ready 503 naming the database", async () => {
        const r = await ready(api);
        return r?.status === 503 && (r.body.unavailable as string[]).includes("database") ? r : undefined;
      });
      expect(down.body).toMatchObject({ ok: false, database: { ok: false } });
      expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      expect([api.alive(), worker.alive()]).toEqual([true, true]);
      await setup.cluster.start();

      await eventually("/ready 200 after the outage", async () => (await ready(api))?.status === 200, 90_000);
      // The slow run's handler (20 s, started just before a 30 s outage) finished during the
      // outage: its final write waited for the database instead of being lost.
      expect(worker.output(Infinity)).toMatch(/storing runs' final states failed \(database unreachable\); retrying/);
      expect(await finalStatuses(setup.prisma, [slow, ...queued], 180_000)).toEqual({ [slow]: "SUCCESS", [queued[0]!]: "SUCCESS", [queued[1]!]: "SUCCESS" });
      await expectNoMissedMinutes(setup.prisma, "faults.minute");
      expect([api.alive(), worker.alive()]).toEqual([true, true]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${outputs(procs)}`);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, ready, spawnRole, type RoleProcess } from "../harness/processes.ts";
import { createJob, faultSetup, finalStatuses, outputs, runNow, SLEEP_HANDLER, type FaultSetup } from "./fault-setup.ts";

// Server mode, Agenda on PostgreSQL: what a failover or a restart does to every open session.
let setup: FaultSetup;
let procs: RoleProcess[] = [];
beforeAll(async () => {
  setup = await faultSetup();
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop("SIGKILL")));
  await setup?.close();
});

describe("every connection to PostgreSQL terminated", () => {
  it("api, worker and all stay up, /ready answers 200 again, and runs afterwards succeed", { timeout: 240_000 }, async () => {
    procs = await Promise.all([spawnRole("api", setup.deploy), spawnRole("worker", setup.deploy), spawnRole("all", setup.deploy)]);
    const [api, , all] = procs as [RoleProcess, RoleProcess, RoleProcess];
    try {
      for (const p of [api, all]) await eventually(`${p.role} ready`, async () => (await ready(p))?.status === 200, 120_000);
      await createJob(api, setup.token, { id: "faults.blip", handlerPath: SLEEP_HANDLER, publicCfg: { ms: 200 } });

      // Twice, the second while the first reconnections may still be under way.
      expect(await setup.cluster.terminateConnections("connecthub")).toBeGreaterThan(5);
      await new Promise((r) => setTimeout(r, 1000));
      await setup.cluster.terminateConnections("connecthub");

      for (const p of [api, all]) await eventually(`${p.role} ready after the blip`, async () => (await ready(p))?.status === 200, 60_000);
      const ids = [await runNow(api, setup.token, "faults.blip"), await runNow(all, setup.token, "faults.blip"), await runNow(api, setup.token, "faults.blip")];
      expect(Object.values(await finalStatuses(setup.prisma, ids))).toEqual(["SUCCESS", "SUCCESS", "SUCCESS"]);
      expect(procs.map((p) => p.alive())).toEqual([true, true, true]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${outputs(procs)}`);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunSettler, type FinalState } from "../../src/runs/run-settler.ts";
import { openEngine, type Engine } from "./harness.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await openEngine({ startWorker: false });
});
afterAll(() => engine?.close());

const ended = (message: string, result: unknown = { ok: true }): FinalState => ({
  status: "SUCCESS",
  message,
  messageCode: "RUN_SUCCEEDED",
  messageParams: {},
  traceback: null,
  runLog: `log of ${message}\n`,
  runLogBytes: Buffer.byteLength(`log of ${message}\n`),
  result,
  finishedAt: new Date(),
});

describe("RunSettler", () => {
  it("stores runs that end together, fails only the run a row cannot be stored for, and leaves runs that are not this worker's", async () => {
    const { prisma } = engine.runtime;
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:EchoJob" });
    const runs = [];
    for (let i = 0; i < 6; i++) {
      runs.push(await prisma.jobLog.create({ data: { jobId, trigger: "MANUAL", status: "RUNNING", workerId: i === 5 ? "someone-else" : "me", snapshotParams: {} } }));
    }
    const settler = new RunSettler(prisma, "me");
    const outcomes = await Promise.allSettled(
      runs.map((run, i) => settler.settle(run.id, i === 2 ? ended("bad \u0000 byte") : ended(`run ${i}`, i === 3 ? null : { i }))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(outcomes.map((o) => (o.status === "fulfilled" ? o.value : "error"))).toEqual([true, true, "error", true, true, false]);
    const stored = await prisma.jobLog.findMany({ where: { jobId }, orderBy: { id: "asc" } });
    expect(stored.map((r) => r.status)).toEqual(["SUCCESS", "SUCCESS", "RUNNING", "SUCCESS", "SUCCESS", "RUNNING"]);
    expect(stored[1]).toMatchObject({ message: "run 1", runLog: "log of run 1\n", runLogBytes: 13, result: { i: 1 }, traceback: null });
    expect(stored[1]!.finishedAt).not.toBeNull();
    expect(stored[1]!.heartbeatAt!.getTime()).toBe(stored[1]!.finishedAt!.getTime());
    expect(stored[3]!.result).toBeNull();
  });
});

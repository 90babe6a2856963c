import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/runs/index.ts";
import { openEngine, type Engine } from "./harness.ts";

const RECORDER = "test_jobs.span-recorder:SpanRecorderJob";

// Plain runs (Run Now) on the PostgreSQL queue: a wake-up makes the worker take what waits in the
// queue into its free run slots, several per claim statement, without a queue lock per run. The
// queue's own poll is 10 minutes away here, so every run below starts through that path.
describe("Run Nows queued faster than a worker's run slots free (PostgreSQL queue)", () => {
  let engine: Engine;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "connecthub-plain-"));
    engine = await openEngine({ startWorker: true, env: { WORKER_CONCURRENCY: "3", QUEUE_POLL_MS: "600000" } });
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("all start as slots free, never more at once than WORKER_CONCURRENCY, several per claim statement", async () => {
    const file = path.join(dir, "spans.txt");
    const jobId = await engine.createJob({ handlerPath: RECORDER, publicCfg: { file, ms: 150 } });
    const logs = await Promise.all(Array.from({ length: 12 }, () => enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" })));
    const finals = await Promise.all(logs.map((l) => engine.final(l.id, 30_000)));
    expect(finals.map((l) => l.status)).toEqual(logs.map(() => "SUCCESS"));

    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(" "));
    expect(lines).toHaveLength(24);
    let running = 0;
    let most = 0;
    for (const [what] of lines) most = Math.max(most, what === "start" ? ++running : --running);
    expect(most).toBe(3);
    // Runs started by one statement share its transaction's start time (now()): fewer distinct
    // start times than runs means claims took several runs each.
    const [counted] = await engine.runtime.prisma.$queryRaw<{ claims: bigint }[]>`
      SELECT count(DISTINCT started_at) AS claims FROM job_logs WHERE job_id = ${jobId}`;
    expect(Number(counted!.claims)).toBeLessThan(12);
    // A Run Now on this queue has no queue job (its row is the entry), and none is left behind.
    expect(finals.map((l) => l.queueJobId)).toEqual(logs.map(() => null));
    const left = await engine.runtime.queue.agenda.queryJobs({ name: "connecthub.execute_job" });
    expect(left.jobs).toEqual([]);
  });
});

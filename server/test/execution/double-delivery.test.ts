// The run's claim in PostgreSQL (one conditional update from QUEUED) is the only gate to a handler:
// a queue job delivered twice, in one process or in two, at once or after its run started, calls
// the handler once per run. On both queue backends.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "./harness.ts";
import { openEngine, TEST_JOBS_ROOT, type Engine } from "./harness.ts";
import { deliverQueueJob, loadQueueJob, redeliverQueueJob } from "./deliver.ts";
import { EXECUTE_JOB, EXECUTE_RUNS } from "../../src/runs/queue-jobs.ts";

const CHILD = fileURLToPath(new URL("./delivery-child.ts", import.meta.url));
const COUNTED = "test_jobs.call-counter:CountedCallJob";
const FAR = new Date(Date.now() + 365 * 24 * 3600_000);

describe.each<Backend>(["postgres", "mongodb"])("a queue job delivered twice on the %s queue", (backend) => {
  let engine: Engine;
  let child: ChildProcess;
  let childOut = "";
  const dir = mkdtempSync(path.join(os.tmpdir(), "connecthub-deliver-"));
  const calls = path.join(dir, "calls.log");

  beforeAll(async () => {
    engine = await openEngine({ backend });
    writeFileSync(calls, "");
    const { config } = engine.runtime;
    const env = {
      ...process.env,
      DATABASE_URL: engine.runtime.databaseUrl,
      ...(config.MONGODB_URL ? { MONGODB_URL: config.MONGODB_URL } : {}),
      DATA_DIR: dir,
      FERNET_KEY_PATH: config.fernetKeyPath,
      LOG_DIR: "",
      EXTENSION_ROOTS: TEST_JOBS_ROOT,
      HEARTBEAT_SECONDS: "1",
      WORKER_CONCURRENCY: "8",
    };
    // One process (node with tsx's hooks), not the tsx CLI: killing the CLI left its node child running.
    child = spawn(process.execPath, ["--import", "tsx", CHILD], { env, stdio: ["pipe", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => {
        childOut += d.toString();
        if (childOut.includes("WORKER READY")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`delivery child exited with ${code} before it was ready`)));
    });
  }, 90_000);
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Handler calls recorded so far, by run. */
  function callsByRun(): Map<number, number> {
    const counts = new Map<number, number>();
    for (const line of readFileSync(calls, "utf8").split("\n").filter(Boolean)) {
      const logId = Number(line.split(" ")[0]);
      counts.set(logId, (counts.get(logId) ?? 0) + 1);
    }
    return counts;
  }

  /** Sends the child a command and waits for its answer ("loaded <id>", "delivered <id>"). */
  function inChild(command: "load" | "deliver", id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const onData = () => {
        if (childOut.includes(`${command}ed ${id}`)) (child.stdout!.off("data", onData), resolve());
        else if (childOut.includes(`failed ${command} ${id}`)) (child.stdout!.off("data", onData), reject(new Error(childOut)));
      };
      child.stdout!.on("data", onData);
      setTimeout(() => reject(new Error(`the child did not answer "${command} ${id}":\n${childOut}`)), 30_000).unref();
      child.stdin!.write(`${command} ${id}\n`);
    });
  }

  /** Runs of a counted job, QUEUED, with a queue job that no processor takes by itself (due far ahead). */
  async function queuedRuns(n: number, planned: { at: Date } | null, ms = 0): Promise<{ logIds: number[]; queueJobId: string }> {
    const { prisma, queue } = engine.runtime;
    const logIds: number[] = [];
    for (let i = 0; i < n; i++) {
      const jobId = await engine.createJob({ handlerPath: COUNTED, publicCfg: { file: calls, ms }, enabled: planned !== null, cronExpr: "* * * * * *", allowOverlap: false });
      const log = await prisma.jobLog.create({
        data: { jobId, trigger: planned ? "CRON" : "MANUAL", scheduledAt: planned?.at ?? null, snapshotParams: { handler_path: COUNTED, public_cfg: { file: calls, ms }, secret_cfg: null, meta: { job_id: jobId } } },
      });
      if (planned) await prisma.fireRecord.create({ data: { jobId, scheduledAt: planned.at, outcome: "FIRED", logId: log.id } });
      logIds.push(log.id);
    }
    const job = planned ? await queue.agenda.schedule(FAR, EXECUTE_RUNS, { logIds }) : await queue.agenda.schedule(FAR, EXECUTE_JOB, { logId: logIds[0]! });
    const queueJobId = String(job.attrs._id);
    await prisma.jobLog.updateMany({ where: { id: { in: logIds } }, data: { queueJobId } });
    return { logIds, queueJobId };
  }

  /** A slot instant a little ahead: the deliveries prepare during the lead and claim at the instant, together. */
  const slotAhead = () => new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);

  async function expectOneCallEach(logIds: number[]) {
    const finals = await Promise.all(logIds.map((id) => engine.final(id)));
    expect(finals.map((l) => l.status)).toEqual(logIds.map(() => "SUCCESS"));
    const counts = callsByRun();
    expect(logIds.map((id) => counts.get(id) ?? 0)).toEqual(logIds.map(() => 1));
  }

  it("calls a Run Now run's handler once when this process gets its queue job twice at once", async () => {
    const { logIds, queueJobId } = await queuedRuns(1, null);
    const { agenda } = engine.runtime.queue;
    await Promise.all([deliverQueueJob(agenda, queueJobId), deliverQueueJob(agenda, queueJobId)]);
    await expectOneCallEach(logIds);
  });

  it("calls each of a planned slot's handlers once when this process gets their queue job twice at once", async () => {
    const { logIds, queueJobId } = await queuedRuns(5, { at: slotAhead() });
    const { agenda } = engine.runtime.queue;
    await Promise.all([deliverQueueJob(agenda, queueJobId), deliverQueueJob(agenda, queueJobId), deliverQueueJob(agenda, queueJobId)]);
    await expectOneCallEach(logIds);
  });

  it("calls each handler once when two processes get the same queue job at once", async () => {
    const manual = await queuedRuns(1, null);
    const planned = await queuedRuns(5, { at: slotAhead() });
    const { agenda } = engine.runtime.queue;
    const records = await Promise.all([manual, planned].map((q) => loadQueueJob(agenda, q.queueJobId)));
    await Promise.all([manual, planned].map((q) => inChild("load", q.queueJobId)));
    await Promise.all([
      inChild("deliver", manual.queueJobId),
      deliverQueueJob(agenda, records[0]!),
      inChild("deliver", planned.queueJobId),
      deliverQueueJob(agenda, records[1]!),
    ]);
    await expectOneCallEach([...manual.logIds, ...planned.logIds]);
    // Both processes took part: each started some of them (whoever claimed first).
    const workers = await engine.runtime.prisma.jobLog.findMany({ where: { id: { in: [...manual.logIds, ...planned.logIds] } }, select: { workerId: true } });
    expect(workers.every((w) => w.workerId !== null)).toBe(true);
  });

  it("calls nothing for deliveries that come while the run is already running (a lock that expired)", async () => {
    const { logIds, queueJobId } = await queuedRuns(1, null, 1500);
    const { agenda } = engine.runtime.queue;
    const record = await loadQueueJob(agenda, queueJobId);
    const first = deliverQueueJob(agenda, record);
    await engine.reached(logIds[0]!, "RUNNING");
    await first;
    await Promise.all([redeliverQueueJob(agenda, record), redeliverQueueJob(agenda, record)]);
    await expectOneCallEach(logIds);
  });
});

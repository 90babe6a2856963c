// Every end of a run goes through finalizeRun: the runs no worker settles (abandoned by the sweep,
// cancelled while QUEUED, withdrawn at their slot) send their webhooks too, per the job's settings,
// to a real HTTP server on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun, requestCancel, sweepAbandonedRuns, withdrawFiredRun } from "../../src/runs/index.ts";
import { openEngine, type Engine } from "../execution/harness.ts";
import { startHttpStandIn, type HttpStandIn, type RecordedRequest } from "../stand-ins/http-stand-in.ts";

let receiver: HttpStandIn;
let engine: Engine;

beforeAll(async () => {
  receiver = await startHttpStandIn(() => ({ status: 200, body: { ok: true } }));
  // No worker: these runs end without one, as they do when theirs died or never took them.
  engine = await openEngine({ startWorker: false });
});
afterAll(async () => {
  await engine?.close();
  await receiver?.close();
});

async function received(path: string, logId: number, timeoutMs = 30_000): Promise<RecordedRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const req = receiver.requests.find((r) => r.path === path && (r.json as { log_id?: number } | undefined)?.log_id === logId);
    if (req) return req;
    if (Date.now() > deadline) throw new Error(`no webhook for run #${logId} at ${path}; got ${JSON.stringify(receiver.requests.map((r) => r.path))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("webhooks of runs that end without their worker", () => {
  it("an ABANDONED run notifies a job webhook set to FAILURE (the sweep finalizes it)", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", webhookUrl: `${receiver.url}/abandoned`, webhookWhen: "FAILURE" });
    const queued = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    // A worker took it and died: RUNNING, its last heartbeat a minute old.
    await engine.runtime.prisma.$executeRaw`
      UPDATE job_logs SET status = 'RUNNING', worker_id = 'gone-worker', started_at = now() - interval '70 seconds',
        heartbeat_at = now() - interval '60 seconds' WHERE id = ${queued.id}`;

    expect(await sweepAbandonedRuns(engine.runtime, 30)).toBe(1);
    const req = await received("/abandoned", queued.id);
    const stored = await engine.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: queued.id } });
    expect(stored.status).toBe("ABANDONED");
    expect(req.json).toMatchObject({ event: "run.finished", job_id: jobId, log_id: queued.id, status: "ABANDONED", message: stored.message });
    expect(engine.statuses.filter((s) => s.logId === queued.id).map((s) => s.status)).toContain("ABANDONED");
  });

  it("a run cancelled while QUEUED notifies a job webhook set to ALWAYS", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", webhookUrl: `${receiver.url}/cancelled`, webhookWhen: "ALWAYS" });
    const queued = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });

    const cancelled = await requestCancel(engine.runtime, queued.id);
    expect(cancelled.status).toBe("CANCELLED");
    const req = await received("/cancelled", queued.id);
    expect(req.json).toMatchObject({ event: "run.finished", job_id: jobId, log_id: queued.id, status: "CANCELLED", message: "Cancelled before it started." });
  });

  it("a fired run withdrawn after its slot was due (CANCELLED) notifies a job webhook set to ALWAYS", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", webhookUrl: `${receiver.url}/withdrawn`, webhookWhen: "ALWAYS" });
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const queued = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "CRON" }, { fire: { scheduledAt: slot, outcome: "FIRED" } });

    // The job was edited after the slot came due: the run is kept, CANCELLED, saying why.
    expect(await withdrawFiredRun(engine.runtime, { id: queued.id, jobId, scheduledAt: slot }, "the job was disabled", new Date(slot.getTime() + 1000))).toBe("cancelled");
    const req = await received("/withdrawn", queued.id);
    expect(req.json).toMatchObject({ log_id: queued.id, status: "CANCELLED", message: "Withdrawn before it started: the job was disabled." });
  });
});

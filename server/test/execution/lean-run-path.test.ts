// The writes a Run Now costs the queue: Agenda's own saves of its queue job, observed by wrapping
// the real repository (every call still goes to the store).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/runs/index.ts";
import { startHttpStandIn, type HttpStandIn } from "../stand-ins/http-stand-in.ts";
import { openEngine, type Backend, type Engine } from "./harness.ts";

for (const backend of ["postgres", "mongodb"] as Backend[]) {
  describe(`a Run Now's queue job (${backend})`, () => {
    let engine: Engine;
    /** saveJobState calls by queue job id: whether each one found the job to save. */
    const saves = new Map<string, boolean[]>();
    beforeAll(async () => {
      // No poll of the queue's own within the test: on PostgreSQL the Run Now's wake-up is what starts it.
      engine = await openEngine({ backend, startWorker: false, env: { QUEUE_POLL_MS: "600000" } });
      const repository = engine.runtime.queue.agenda.db as unknown as { saveJobState: (attrs: { _id?: unknown }, ...rest: unknown[]) => Promise<unknown> };
      const save = repository.saveJobState.bind(repository);
      repository.saveJobState = async (attrs, ...rest) => {
        const outcomes = saves.get(String(attrs._id)) ?? [];
        saves.set(String(attrs._id), outcomes);
        try {
          const result = await save(attrs, ...rest);
          outcomes.push(true);
          return result;
        } catch (error) {
          outcomes.push(false);
          throw error;
        }
      };
      await engine.startWorker();
    });
    afterAll(() => engine?.close());

    if (backend === "postgres") {
      it("has no queue job: its row is the queue entry, taken by the claim of a woken worker, and Agenda saves nothing", async () => {
        const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob" });
        const log = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
        expect(log.queueJobId).toBeNull();
        const done = await engine.final(log.id);
        expect(done).toMatchObject({ status: "SUCCESS", queueJobId: null });
        expect(saves.size).toBe(0);
      });
    } else {
      it("is removed by the worker before Agenda's end-of-job save, which then finds nothing to write", async () => {
        const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob" });
        const log = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
        const done = await engine.final(log.id);
        expect(done.status).toBe("SUCCESS");
        const queueJobId = done.queueJobId!;
        // Agenda's end-of-job save runs just after the handler returns: wait until it was attempted.
        for (let i = 0; i < 100 && (saves.get(queueJobId)?.length ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 50));
        // Agenda's start save found the job; its end-of-job save found it removed. (A lock touch may
        // come between them only on a machine stalled past a touch period: not asserted here.)
        const outcomes = saves.get(queueJobId)!;
        expect(outcomes[0]).toBe(true);
        expect(outcomes.at(-1)).toBe(false);
        expect(outcomes.filter((found) => !found)).toHaveLength(1);
        expect((await engine.runtime.queue.agenda.queryJobs({ id: queueJobId })).jobs).toEqual([]);
      });
    }
  });
}

describe("a Run Now's webhook", () => {
  let engine: Engine;
  let receiver: HttpStandIn;
  beforeAll(async () => {
    receiver = await startHttpStandIn(() => ({ status: 200, body: { ok: true } }));
    engine = await openEngine({ startWorker: true });
  });
  afterAll(async () => {
    await engine?.close();
    await receiver?.close();
  });

  it("goes where the job's webhook settings said when the run was claimed (finalize reads them no more)", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:SleepJob", publicCfg: { ms: 1500 }, webhookUrl: `${receiver.url}/at-claim`, webhookWhen: "ALWAYS" });
    const log = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    await engine.reached(log.id, "RUNNING");
    await engine.runtime.prisma.job.update({ where: { id: jobId }, data: { webhookUrl: `${receiver.url}/edited` } });
    expect((await engine.final(log.id)).status).toBe("SUCCESS");
    for (let i = 0; i < 200 && !receiver.requests.some((r) => (r.json as { log_id?: number } | undefined)?.log_id === log.id); i++) await new Promise((r) => setTimeout(r, 50));
    expect(receiver.requests.filter((r) => (r.json as { log_id?: number } | undefined)?.log_id === log.id).map((r) => r.path)).toEqual(["/at-claim"]);
  });
});

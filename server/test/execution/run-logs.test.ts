import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import { openEngine, reassemble, type Engine } from "./harness.ts";

let engine: Engine;
const MAX = 8 * 1024;
beforeAll(async () => {
  engine = await openEngine({ env: { RUN_LOG_MAX_BYTES: String(MAX) } });
});
afterAll(() => engine?.close());

async function runJob(handlerPath: string, extra: Record<string, unknown> = {}) {
  const jobId = await engine.createJob({ handlerPath, ...extra });
  const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
  return engine.final(id);
}

describe("run log", () => {
  it("is capped at RUN_LOG_MAX_BYTES with a trailing [TRUNCATED] line, and still summarises later warnings", async () => {
    const log = await runJob("test_jobs.behaviours:ChattyJob", { publicCfg: { lines: 300, width: 60, text: "é" } });
    expect(log.status).toBe("SUCCESS");
    expect(Buffer.byteLength(log.runLog)).toBeLessThanOrEqual(MAX);
    expect(log.runLogBytes).toBe(Buffer.byteLength(log.runLog));
    expect(log.runLog).toMatch(/\n\[TRUNCATED\] run log reached RUN_LOG_MAX_BYTES \(8192 bytes\)[^\n]*\n$/);
    expect(log.runLog).not.toContain("\uFFFD");
    // The warning came after the cap: not in the log, but in the message summary.
    expect(log.runLog).not.toContain("chatty warning");
    expect(log.message).toContain("chatty warning at the end");
    const { text, gaps } = reassemble(engine.outputs, log.id);
    expect(gaps).toEqual([]);
    expect(text).toBe(log.runLog);
  });

  it("keeps concurrent runs' logger and console output apart, each in its own run log", async () => {
    const labels = ["alpha", "bravo", "charlie", "delta"];
    const jobIds = await Promise.all(labels.map((label) => engine.createJob({ handlerPath: "test_jobs.behaviours:InterleaveJob", publicCfg: { label, steps: 15 } })));
    const queued = await Promise.all(jobIds.map((jobId) => enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" })));
    const logs = await Promise.all(queued.map((q) => engine.final(q.id)));
    // They really ran at the same time.
    const overlaps = logs.filter((a) => logs.some((b) => a !== b && a.startedAt! < b.finishedAt! && b.startedAt! < a.finishedAt!));
    expect(overlaps.length).toBeGreaterThan(1);
    logs.forEach((log, i) => {
      const mine = labels[i]!;
      expect(log.status).toBe("SUCCESS");
      for (let step = 0; step < 15; step++) {
        expect(log.runLog).toContain(`INFO  ${mine} logger step ${step}`);
        expect(log.runLog).toContain(`INFO  ${mine} console step ${step} {"source":"console"}`);
        expect(log.runLog).toContain(`WARN  ${mine} console warn ${step}`);
      }
      for (const other of labels.filter((l) => l !== mine)) expect(log.runLog).not.toContain(other);
      expect(log.message).toContain(`WARN ${mine} console warn 0`);
    });
  });

  it("captures BaseClient request lines in the run's log", async () => {
    const server: Server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"pong":true}'));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const log = await runJob("test_jobs.behaviours:HttpGetJob", { publicCfg: { url } });
      expect(log.status).toBe("SUCCESS");
      expect(log.result).toEqual({ pong: true });
      expect(log.runLog).toMatch(/INFO  GET http:\/\/127\.0\.0\.1:\d+\/ping → 200 \(\d+ ms\) \{"client":"probe"/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("fails a run whose result is not JSON-serialisable, saying so", async () => {
    const log = await runJob("test_jobs.behaviours:BigIntResultJob");
    expect(log.status).toBe("FAILURE");
    expect(log.message).toContain("not JSON-serialisable");
  });
});

describe("secrets", () => {
  const SECRET = "sk-live-9f8e7d6c5b4a";

  it.each(["return", "throw"] as const)("never reach snapshotParams, the run log, message, traceback, result or any event (handler mode %s)", async (mode) => {
    const log = await runJob("test_jobs.behaviours:LeakySecretJob", { publicCfg: { mode }, secretCfg: engine.encrypt({ api_key: SECRET }) });
    expect(log.status).toBe(mode === "return" ? "SUCCESS" : "FAILURE");
    expect(log.runLog).toContain("the key is ***");
    expect(log.runLog).toContain("console sees ***");
    const stored = JSON.stringify(log);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain("9f8e7d6c5b4a");
    const events = JSON.stringify([...engine.statuses, ...engine.outputs].filter((e) => e.logId === log.id));
    expect(events).not.toContain(SECRET);
    if (mode === "return") expect(log.result).toEqual({ key: "***", nested: [{ again: "prefix-***" }] });
    else expect(log.traceback).toContain("request with *** refused");
  });

  it("fails with an actionable message when the secret token cannot be decrypted", async () => {
    const foreign = "gAAAAABnZ2ZmAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
    const jobId = await engine.createJob({ id: "oa.undecryptable", handlerPath: "test_jobs.noop:NoopJob", secretCfg: foreign });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    const log = await engine.final(id);
    expect(log.status).toBe("FAILURE");
    expect(log.message).toContain('Job "oa.undecryptable"');
    expect(log.message).toMatch(/secret config cannot be used/);
    expect(log.message).toMatch(/fernet\.key|re-save/i);
    // Its own code, so the admin words it; the stored text stays the error's.
    expect(log.messageCode).toBe("RUN_SECRET_CONFIG_UNUSABLE");
    expect(log.messageParams).toMatchObject({ jobId: "oa.undecryptable", errorCode: "SECRET_CONFIG_UNUSABLE", error: log.message });
  });

  it("fails with the field names when the config does not match the handler's schema", async () => {
    const log = await runJob("test_jobs.behaviours:StrictParamsJob", { publicCfg: { name: "" } });
    expect(log.status).toBe("FAILURE");
    expect(log.message).toContain("publicCfg.name");
    expect(log.message).toContain("publicCfg.count");
    expect(log.messageCode).toBe("RUN_CONFIG_INVALID");
    const params = log.messageParams as Record<string, string>;
    expect(params.errorCode).toBe("CONFIG_INVALID");
    expect(params.problems).toContain("publicCfg.name");
    expect(log.message).toContain(params.problems);
  });
});

describe("handler path at run time", () => {
  it("fails a run whose handler cannot be resolved, naming the job and what to fix", async () => {
    const jobId = await engine.createJob({ id: "ops.gone", handlerPath: "test_jobs.removed_extension:GoneJob" });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    const log = await engine.final(id);
    expect(log.status).toBe("FAILURE");
    expect(log.message).toContain("HandlerPathError");
    expect(log.message).toContain("no module file");
    expect(log.message).toContain('job "ops.gone"');
  });
});

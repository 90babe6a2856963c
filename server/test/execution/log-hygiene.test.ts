// A run's log lines keep only their own fields, and its secret values are masked in every sink:
// the stored run (log, message, traceback, result), the live output events, and the process log
// (the same pino lines that go to stdout and connecthub.log, captured here in memory).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import { configureLogger } from "../../src/logging/logger.ts";
import { secretExposures } from "../logging/secret-exposure.ts";
import { openEngine, reassemble, type Engine } from "./harness.ts";

const SECRET = 'Tok/9"pL2+xW-hyg';
const USER = "svc-hygiene";

let engine: Engine;
const processLines: string[] = [];
const logDir = mkdtempSync(path.join(os.tmpdir(), "connecthub-hygiene-"));
beforeAll(async () => {
  engine = await openEngine();
  const sink = new Writable({ write: (chunk, _enc, done) => (processLines.push(String(chunk)), done()) });
  await configureLogger({ level: "info", logDir, stdout: false, extraStream: sink });
});
afterAll(async () => {
  await engine?.close();
  await configureLogger({ level: "info", logDir: null });
  rmSync(logDir, { recursive: true, force: true });
});

async function run(handlerPath: string, secrets?: Record<string, unknown>) {
  const jobId = await engine.createJob({ handlerPath, publicCfg: {}, secretCfg: secrets ? engine.encrypt(secrets) : null });
  const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
  return engine.final(id);
}

function processLinesOf(logId: number): Record<string, unknown>[] {
  return processLines
    .flatMap((chunk) => chunk.split("\n"))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.log_id === logId);
}

describe("a secret a handler logs or throws", () => {
  it("is masked in the run log, message, traceback, live output and process log, in every form", async () => {
    const log = await run("test_jobs.log-hygiene:SecretLeakJob", { token: SECRET, user: USER });
    expect(log.status).toBe("FAILURE");
    // The lines are there, only the value is gone.
    expect(log.runLog).toContain("plain ***");
    expect(log.runLog).toContain("upper-cased ***");
    expect(log.runLog).toContain("console says ***");
    expect(log.message).toContain("remote refused token ***");
    expect(log.traceback).toContain("cause says ***");

    const stored = JSON.stringify(log);
    const live = reassemble(engine.outputs, log.id).text;
    const processed = processLinesOf(log.id);
    expect(processed.map((r) => r.msg)).toContain("plain ***");
    const file = readFileSync(path.join(logDir, "connecthub.log"), "utf8");
    expect(file).toContain(`"log_id":${log.id}`);
    expect({
      stored: secretExposures(stored, SECRET, USER),
      runLog: secretExposures(log.runLog ?? "", SECRET, USER),
      live: secretExposures(live, SECRET, USER),
      processLog: secretExposures(JSON.stringify(processed), SECRET, USER),
      logFile: secretExposures(file, SECRET, USER),
    }).toEqual({ stored: [], runLog: [], live: [], processLog: [], logFile: [] });
  });
});

describe("a log line", () => {
  it("carries only its own fields (plus job_id, log_id and the run's trace_id) in the run log, live output and process log", async () => {
    const log = await run("test_jobs.log-hygiene:FieldsOnceJob");
    expect(log.status).toBe("SUCCESS");
    const lineOf = (text: string, msg: string) => text.split("\n").find((l) => l.includes(` ${msg}`)) ?? `(no line "${msg}")`;
    for (const text of [log.runLog ?? "", reassemble(engine.outputs, log.id).text]) {
      expect(lineOf(text, "first line with fields")).toContain('{"row":66,"employee_number":"E0066"}');
      expect(lineOf(text, "second line without fields")).toMatch(/second line without fields$/);
      expect(lineOf(text, "the client's next line")).toMatch(/the client's next line \{"client":"didi"\}$/);
      expect(lineOf(text, "a console line")).toMatch(/a console line \{"source":"console"\}$/);
      expect(lineOf(text, "Done")).toMatch(/ Done$/);
    }
    const records = processLinesOf(log.id);
    const fieldsOf = (msg: string) => {
      const r = records.find((x) => x.msg === msg);
      if (!r) return `(no line "${msg}")`;
      const { level: _l, time: _t, pid: _p, msg: _m, ...rest } = r;
      return rest;
    };
    expect(log.traceId).toMatch(/^[0-9a-f]{32}$/);
    const context = { job_id: log.jobId, log_id: log.id, trace_id: log.traceId };
    expect(fieldsOf("first line with fields")).toEqual({ ...context, row: 66, employee_number: "E0066" });
    expect(fieldsOf("second line without fields")).toEqual(context);
    expect(fieldsOf("the client's next line")).toEqual({ ...context, client: "didi" });
    expect(fieldsOf("Done")).toEqual(context);
  });
});

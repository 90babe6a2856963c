// The process log of a real worker process (`connecthub worker`): its stdout and connecthub.log
// never carry a run's secret in clear, and each line carries only its own fields. Includes the
// OA → Didi sync over 80 rows against the loopback stand-ins, whose log size is bounded.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Prisma } from "../../src/generated/prisma/client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import { openEngine, TEST_JOBS_ROOT, type Engine } from "../execution/harness.ts";
import { DEFAULT_DIDI_LEGAL_ENTITIES, DIDI_TEST_CREDENTIALS, startDidiServer, type DidiMemberRecord, type DidiServer } from "../stand-ins/didi-server.ts";
import { DEFAULT_SEEYON_FORM, type SeeyonForm } from "../stand-ins/seeyon-form.ts";
import { startSeeyonServer, type SeeyonServer } from "../stand-ins/seeyon-server.ts";
import { secretExposures } from "./secret-exposure.ts";

const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));
const SECRET = 'Tok/9"pL2+xW-proc';
const USER = "svc-proc";
const ROWS = 80;

const OA_SECRETS = { rest_user: "rest-user-proc", rest_password: "rest-pass-proc-1234" };
const DIDI_SECRETS = {
  company_id: DIDI_TEST_CREDENTIALS.companyId,
  client_id: DIDI_TEST_CREDENTIALS.clientId,
  client_secret: DIDI_TEST_CREDENTIALS.clientSecret,
  sign_key: DIDI_TEST_CREDENTIALS.signKey,
};

/** 80 employees, half on each of two companies, none on a legal entity in Didi yet. */
function eightyRows(): { form: SeeyonForm; members: DidiMemberRecord[] } {
  const companies = [DEFAULT_DIDI_LEGAL_ENTITIES[0]!.name, DEFAULT_DIDI_LEGAL_ENTITIES[1]!.name];
  const rows: SeeyonForm["rows"] = [];
  const members: DidiMemberRecord[] = [];
  for (let i = 0; i < ROWS; i++) {
    const employee = `E${2001 + i}`;
    rows.push({ field0001: employee, field0002: `员工${i}`, field0003: { value: "-1", showValue: "研发中心" }, field0004: { value: `-${i % 2}`, showValue: companies[i % 2]! }, field0005: "2021-03-01" });
    members.push({ member_id: `11259025458${12000 + i}`, employee_number: employee, realname: `员工${i}`, phone: `1380000${String(i).padStart(4, "0")}`, legal_entity_id: null });
  }
  return { form: { ...DEFAULT_SEEYON_FORM, rows }, members };
}

let engine: Engine;
let child: ChildProcess;
let oa: SeeyonServer;
let didi: DidiServer;
let stdout = "";
const dataDir = mkdtempSync(path.join(os.tmpdir(), "connecthub-proclog-"));
const logDir = path.join(dataDir, "logs");

beforeAll(async () => {
  // This process only enqueues and watches; the child, a real `connecthub worker`, executes.
  engine = await openEngine({ startWorker: false });
  const { form, members } = eightyRows();
  oa = await startSeeyonServer({ users: { [OA_SECRETS.rest_user]: OA_SECRETS.rest_password }, forms: [form] });
  didi = await startDidiServer({ members });
  const env = {
    ...process.env,
    DATABASE_URL: engine.runtime.databaseUrl,
    DATA_DIR: dataDir,
    FERNET_KEY_PATH: engine.runtime.config.fernetKeyPath,
    LOG_DIR: logDir,
    LOG_LEVEL: "info",
    PORT: "0",
    EXTENSION_ROOTS: TEST_JOBS_ROOT,
    SHUTDOWN_GRACE_SECONDS: "1",
    HEARTBEAT_SECONDS: "1",
  };
  child = spawn(process.execPath, [MAIN, "worker"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stdout += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      // The worker part has started once its queue is up; a run enqueued before that waits for it anyway.
      if (stdout.includes('"level"')) (clearInterval(timer), resolve());
    }, 100);
    child.once("exit", (code) => (clearInterval(timer), reject(new Error(`worker exited with ${code}: ${stdout}`))));
  });
}, 90_000);
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  await engine?.close();
  await oa?.close();
  await didi?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(handlerPath: string, publicCfg: Prisma.InputJsonObject, secrets?: Record<string, unknown>) {
  const jobId = await engine.createJob({ handlerPath, publicCfg, secretCfg: secrets ? engine.encrypt(secrets) : null });
  const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
  return engine.final(id, 90_000);
}

/** The process's lines for one run, from stdout or the log file, parsed. */
function linesOf(text: string, logId: number): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.log_id === logId);
}

const logFile = () => readFileSync(path.join(logDir, "connecthub.log"), "utf8");

/** Waits until the run's last line has reached both stdout (a pipe) and the log file (written asynchronously). */
async function flushedBoth(logId: number, lastMsg: string | RegExp): Promise<void> {
  const has = (text: string) => linesOf(text, logId).some((r) => (typeof lastMsg === "string" ? r.msg === lastMsg : lastMsg.test(String(r.msg))));
  for (let i = 0; i < 100 && !(has(stdout) && has(logFile())); i++) await new Promise((r) => setTimeout(r, 100));
}

describe("a worker process's stdout and connecthub.log", () => {
  it("never carry a secret the handler logged, printed or threw, in any form", async () => {
    const log = await run("test_jobs.log-hygiene:SecretLeakJob", {}, { token: SECRET, user: USER });
    expect(log.status).toBe("FAILURE");
    await flushedBoth(log.id, /^run ended/);
    const file = logFile();
    expect(linesOf(stdout, log.id).map((r) => r.msg)).toContain("plain ***");
    expect(linesOf(file, log.id).map((r) => r.msg)).toContain("plain ***");
    expect({ stdout: secretExposures(stdout, SECRET, USER), logFile: secretExposures(file, SECRET, USER) }).toEqual({ stdout: [], logFile: [] });
  });

  it("write each line with only its own fields and the run's job_id, log_id and trace_id", async () => {
    const log = await run("test_jobs.log-hygiene:FieldsOnceJob", {});
    expect(log.status).toBe("SUCCESS");
    await flushedBoth(log.id, /^run ended/);
    for (const text of [stdout, logFile()]) {
      const records = linesOf(text, log.id);
      const done = records.find((r) => r.msg === "Done");
      expect(done).toBeDefined();
      const { level: _l, time: _t, pid: _p, msg: _m, ...fields } = done!;
      expect(fields).toEqual({ job_id: log.jobId, log_id: log.id, trace_id: log.traceId });
      expect(records.find((r) => r.msg === "second line without fields")).not.toHaveProperty("row");
    }
  });

  it("keep the OA → Didi sync's secrets masked and its 80-row log small", async () => {
    const log = await run(
      "extensions.sync_oa_to_didi.job:SyncOAToDidiLegalEntitySyncJob",
      { oa_base_url: oa.url, oa_templateCode: DEFAULT_SEEYON_FORM.templateCode, didi_base_url: didi.url },
      { ...OA_SECRETS, ...DIDI_SECRETS },
    );
    expect(log.status).toBe("SUCCESS");
    expect(log.result).toMatchObject({ rows: ROWS, success: ROWS, failed: 0 });
    expect(didi.counters.signatureFailures).toBe(0);

    await flushedBoth(log.id, /^run ended/);
    const file = logFile();
    const processText = linesOf(stdout, log.id).map((r) => JSON.stringify(r)).join("\n");
    const runLogBytes = Buffer.byteLength(log.runLog!);
    const processBytes = Buffer.byteLength(processText);
    console.info(`OA → Didi sync, ${ROWS} rows: run log ${runLogBytes} bytes, process log ${processBytes} bytes`);
    const secrets = { ...OA_SECRETS, ...DIDI_SECRETS };
    const tokens = [...oa.issuedTokens, ...didi.issuedTokens];
    for (const [where, text] of Object.entries({ stored: JSON.stringify(log), stdout, logFile: file })) {
      for (const [name, value] of Object.entries(secrets)) expect(secretExposures(text, value), `${name} in ${where}`).toEqual([]);
      for (const token of tokens) expect(text, `an access token in ${where}`).not.toContain(token);
    }
    // The Didi calls are logged with their account parameters masked by name.
    expect(log.runLog).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/river\/Member\/detail → 200/);
    expect(log.runLog).toContain("/river/Member/detail?employee_number=E2001&client_id=***&company_id=***&access_token=***");

    // Each line carries its own fields only: the Done line no URL of an earlier call, and the
    // log stays three lines a row: ~61 KB run log and ~88 KB process log for these 80 rows (each
    // process line names the run's job_id, log_id and trace_id), where fields carried over from
    // line to line made it 122 KB and 142 KB.
    const doneLine = log.runLog!.split("\n").find((l) => l.includes(" Done: "))!;
    expect(doneLine).not.toContain("url");
    expect(runLogBytes).toBeLessThan(ROWS * 800);
    expect(processBytes).toBeLessThan(ROWS * 1250);
    expect(Math.max(...log.runLog!.split("\n").filter((l) => / row \d+ /.test(l)).map((l) => Buffer.byteLength(l)))).toBeLessThan(250);
  }, 120_000);
});

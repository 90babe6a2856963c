import type { Prisma } from "../../src/generated/prisma/client.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import { openEngine, TEST_JOBS_ROOT, type Engine } from "./harness.ts";

const CHILD = fileURLToPath(new URL("./worker-child.ts", import.meta.url));

let engine: Engine;
let child: ChildProcess;
let exited: Promise<number | null>;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "connecthub-child-"));

beforeAll(async () => {
  // This process only enqueues and watches; the child process executes.
  engine = await openEngine({ startWorker: false });
  const env = {
    ...process.env,
    DATABASE_URL: engine.runtime.databaseUrl,
    DATA_DIR: dataDir,
    FERNET_KEY_PATH: engine.runtime.config.fernetKeyPath,
    LOG_DIR: "",
    EXTENSION_ROOTS: TEST_JOBS_ROOT,
    SHUTDOWN_GRACE_SECONDS: "1",
    HEARTBEAT_SECONDS: "1",
  };
  child = spawn(process.execPath, ["--import", "tsx", CHILD], { env, stdio: ["ignore", "pipe", "inherit"] });
  exited = new Promise((r) => child.once("exit", (code) => r(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("WORKER READY") && resolve());
    child.once("exit", (code) => reject(new Error(`worker child exited with ${code} before it was ready`)));
  });
}, 60_000);
afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await engine?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function runJob(handlerPath: string, publicCfg: Prisma.InputJsonObject = {}) {
  const jobId = await engine.createJob({ handlerPath, publicCfg });
  return enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
}

describe("a worker process", () => {
  it("survives a handler's unobserved rejection and a throw from its timer, and keeps running jobs", async () => {
    const bad = await runJob("test_jobs.behaviours:UnobservedFailureJob");
    const log = await engine.final(bad.id);
    expect(log).toMatchObject({ status: "SUCCESS", result: { survived: true } });
    expect(log.runLog).toContain("thrown from a timer inside the run");
    const next = await runJob("test_jobs.noop:NoopJob");
    expect((await engine.final(next.id)).status).toBe("SUCCESS");
    expect(child.exitCode).toBeNull();
  });

  it("on SIGTERM, cancels a run that outlives SHUTDOWN_GRACE_SECONDS and exits cleanly", async () => {
    const queued = await runJob("test_jobs.behaviours:SleepJob", { ms: 60_000 });
    await engine.printed(queued.id, "sleeping");
    child.kill("SIGTERM");
    const log = await engine.final(queued.id);
    expect(log.status).toBe("CANCELLED");
    expect(log.message).toContain("SHUTDOWN_GRACE_SECONDS (1 s)");
    expect(await exited).toBe(0);
  });
});

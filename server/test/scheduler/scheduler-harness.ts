import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import type { Prisma as PrismaNs } from "../../src/generated/prisma/client.ts";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { parseConfig } from "../../src/config/config.ts";
import { createWorkerPart } from "../../src/execution/worker-part.ts";
import { openRuntime, type Runtime } from "../../src/runtime.ts";
import { createSchedulerPart } from "../../src/scheduler/scheduler-part.ts";
import type { Dispatcher, DispatcherTimings } from "../../src/scheduler/dispatcher.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
export const TEST_JOBS_ROOT = fileURLToPath(new URL("../fixtures/test_jobs", import.meta.url));
export const NOOP_HANDLER = "test_jobs.scheduler-noop:SchedulerNoopJob";
export const SLEEP_HANDLER = "test_jobs.scheduler-sleep:SchedulerSleepJob";

export interface SchedulerWorld {
  backend: QueueBackendName;
  databaseUrl: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A scratch PostgreSQL database (and, for mongodb, a fresh FerretDB database) plus the env a worker needs. */
export async function schedulerWorld(backend: QueueBackendName, extra: Record<string, string> = {}): Promise<SchedulerWorld> {
  const db = await createScratchDatabase("connecthub_sched");
  // Not harness/app.ts's tempDataDir: that module loads the whole app, the API included.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "connecthub-sched-"));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    EXTENSION_ROOTS: TEST_JOBS_ROOT,
    LOG_DIR: "",
    LOG_LEVEL: "warn",
    TIMEZONE: "UTC",
    HEARTBEAT_SECONDS: "1",
    ABANDON_AFTER_SECONDS: "4",
    ...(backend === "mongodb" ? { MONGODB_URL: `${inject("mongoUrl")}/sched_${randomBytes(4).toString("hex")}` } : {}),
    ...extra,
  };
  return {
    backend,
    databaseUrl: db.url,
    env,
    async cleanup() {
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ChildWorker {
  child: ChildProcess;
  /** Output so far, for failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `node --import tsx server/src/main.ts worker` as a real separate process. */
export function spawnWorker(env: Record<string, string>): ChildWorker {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "server/src/main.ts"), "worker"], {
    cwd: REPO,
    env: { ...process.env, ...env, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out = (out + d).slice(-20_000)));
  child.stderr?.on("data", (d) => (out = (out + d).slice(-20_000)));
  return {
    child,
    output: () => out,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await exited;
    },
  };
}

/** Polls `probe` until it returns a value other than undefined/false. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function jobData(id: string, fields: Partial<PrismaNs.JobUncheckedCreateInput>): PrismaNs.JobUncheckedCreateInput {
  return { id, handlerPath: NOOP_HANDLER, triggerType: "CRON", cronExpr: "* * * * *", ...fields };
}

export interface InProcessWorker {
  runtime: Runtime;
  dispatcher: Dispatcher;
  stop(): Promise<void>;
}

/**
 * What `main.ts worker` runs (runtime, worker part, scheduler part), in this process: the tests
 * reach its runtime and dispatcher. Built from the parts so it does not load the API's modules.
 */
export async function startWorkerInProcess(
  env: Record<string, string>,
  options: { timings?: Partial<DispatcherTimings>; loop?: boolean; worker?: boolean } = {},
): Promise<InProcessWorker> {
  const config = parseConfig({ PORT: "0", HOST: "127.0.0.1", ...env }, process.cwd());
  const runtime = await openRuntime(config);
  const worker = options.worker === false ? null : createWorkerPart(runtime);
  const scheduler = createSchedulerPart(runtime, options.timings);
  // Without the worker part the queue still starts (nothing defines the execute job, so runs stay
  // QUEUED): Agenda closes its store connections on stop only if it was started.
  await (worker ? worker.start() : runtime.queue.agenda.start());
  await scheduler.dispatcher.start({ loop: options.loop ?? true });
  return {
    runtime,
    dispatcher: scheduler.dispatcher,
    async stop() {
      await scheduler.stop();
      await worker?.stop();
      await runtime.close();
    },
  };
}

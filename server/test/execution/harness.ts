// Opens a real Runtime (PostgreSQL scratch database, Agenda on PostgreSQL or FerretDB, the
// LISTEN/NOTIFY event bus) with only the execution engine's worker part, and waits on events.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import type { EventMap } from "../../src/events/event-map.ts";
import type { JobLog } from "../../src/generated/prisma/client.ts";
import type { Prisma } from "../../src/generated/prisma/client.ts";
import { configureLogger } from "../../src/logging/logger.ts";
import { migrate } from "../../src/db/migrator.ts";
import { createWorkerPart } from "../../src/execution/worker-part.ts";
import { openRuntime, type Runtime } from "../../src/runtime.ts";
import { Fernet } from "../../src/security/fernet.ts";
import type { AppPart } from "../../src/app.ts";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseConfig } from "../../src/config/config.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

export const TEST_JOBS_ROOT = fileURLToPath(new URL("../fixtures/test_jobs", import.meta.url));
export const FINAL = new Set(["SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"]);

export type Backend = "postgres" | "mongodb";

export interface Engine {
  runtime: Runtime;
  worker: AppPart;
  /** Every event seen since the engine opened, in arrival order. */
  statuses: EventMap["jobLog.status"][];
  outputs: EventMap["jobLog.output"][];
  cancelRequests: EventMap["run.cancelRequested"][];
  /** Resolves with the stored log once a final status event for it arrives (or already has). */
  final(logId: number, timeoutMs?: number): Promise<JobLog>;
  /** Resolves once a status event with `status` for the log arrives (or already has). */
  reached(logId: number, status: string, timeoutMs?: number): Promise<void>;
  /** Resolves once the run's streamed output contains `text`. */
  printed(logId: number, text: string, timeoutMs?: number): Promise<void>;
  createJob(data: Partial<Prisma.JobUncheckedCreateInput> & { handlerPath: string }): Promise<string>;
  encrypt(obj: Record<string, unknown>): string;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

let loggerReady: Promise<unknown> | null = null;

export async function openEngine(options: { backend?: Backend; env?: Record<string, string>; startWorker?: boolean } = {}): Promise<Engine> {
  // Info level: BaseClient request lines go through the process logger and must be captured.
  loggerReady ??= configureLogger({ level: "info", logDir: null });
  await loggerReady;
  const db = await createScratchDatabase("connecthub_exec");
  await migrate(db.url);
  // Not ../harness/app.ts: it imports the whole app (API included), which this engine does not need.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "connecthub-exec-"));
  const env: Record<string, string> = {
    PORT: "0",
    LOG_DIR: "",
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    EXTENSION_ROOTS: TEST_JOBS_ROOT,
    HEARTBEAT_SECONDS: "1",
    WORKER_CONCURRENCY: "8",
    LOG_LEVEL: "info",
    ...options.env,
  };
  if (options.backend === "mongodb") env.MONGODB_URL = `${inject("mongoUrl")}/exec_${randomBytes(4).toString("hex")}`;
  const runtime = await openRuntime(parseConfig(env, process.cwd()));
  const statuses: Engine["statuses"] = [];
  const outputs: Engine["outputs"] = [];
  const cancelRequests: Engine["cancelRequests"] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  runtime.events.subscribe("jobLog.status", (e) => (statuses.push(e), notify()));
  runtime.events.subscribe("jobLog.output", (e) => (outputs.push(e), notify()));
  runtime.events.subscribe("run.cancelRequested", (e) => cancelRequests.push(e));

  function until(test: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });
  }

  const worker = createWorkerPart(runtime);
  let workerRunning = false;
  let workerEverStarted = false;
  const engine: Engine = {
    runtime,
    get worker() {
      return worker;
    },
    statuses,
    outputs,
    cancelRequests,
    async final(logId, timeoutMs = 45_000) {
      await until(() => statuses.some((s) => s.logId === logId && FINAL.has(s.status)), `a final status of run #${logId}`, timeoutMs);
      return runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } });
    },
    reached(logId, status, timeoutMs = 45_000) {
      return until(() => statuses.some((s) => s.logId === logId && s.status === status), `run #${logId} to reach ${status}`, timeoutMs);
    },
    printed(logId, text, timeoutMs = 45_000) {
      return until(() => reassemble(outputs, logId).text.includes(text), `run #${logId} to print ${JSON.stringify(text)}`, timeoutMs);
    },
    async createJob(data) {
      const id = data.id ?? `test.${randomBytes(4).toString("hex")}`;
      // Disabled: only the tests start these jobs, never a scheduler.
      await runtime.prisma.job.create({ data: { enabled: false, ...data, id } });
      return id;
    },
    encrypt: (obj) => runtime.fernet().encryptJson(obj),
    async startWorker() {
      if (workerRunning) return;
      await worker.start();
      workerRunning = workerEverStarted = true;
    },
    async stopWorker() {
      if (!workerRunning) return;
      workerRunning = false;
      await worker.stop();
    },
    async close() {
      if (workerEverStarted) await engine.stopWorker().catch(() => undefined);
      else {
        // Agenda's stop() skips disconnecting a queue that never started (queue.close relies on
        // it), which would leave a pool for DROP DATABASE to kill: start and stop it once.
        await runtime.queue.agenda.start();
        await runtime.queue.agenda.stop(true);
      }
      await runtime.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.startWorker !== false) await engine.startWorker();
  return engine;
}

/** Joins output events by offset and checks they are contiguous from 0. */
export function reassemble(outputs: EventMap["jobLog.output"][], logId: number): { text: string; gaps: number[] } {
  const chunks = outputs.filter((o) => o.logId === logId).sort((a, b) => a.offset - b.offset);
  let text = "";
  let bytes = 0;
  const gaps: number[] = [];
  for (const c of chunks) {
    if (c.offset !== bytes) gaps.push(c.offset);
    text += c.text;
    bytes = c.offset + Buffer.byteLength(c.text);
  }
  return { text, gaps };
}

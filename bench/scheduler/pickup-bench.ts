import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { Agenda } from "agenda";
import type { Runtime } from "../../server/src/runtime.ts";
import { createApiToken } from "../../server/src/security/auth/index.ts";
import { NOOP_HANDLER, spawnWorker } from "../../server/test/scheduler/scheduler-harness.ts";
import { freePort, spawnRole, waitReady } from "../api/processes.ts";
import { RAW_PICKUP_JOB, RAW_POLL_MS } from "./pickup-shared.ts";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.join(HERE, "../..");
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A pause between runs, random so that the runs do not fall into step with a worker's poll. */
const jitter = () => pause(20 + Math.random() * 80);

export interface PickupResult {
  connecthub: number[];
  raw: number[];
}

/**
 * Pickup through `runNow` over HTTP: an `api` process and a `worker` process (separate processes,
 * the worker idle), `runs` Run Now one after another, each measured from just before the HTTP
 * request to the no-op handler's own start instant (same machine clock). Beside it, raw Agenda 6 on
 * the same store: a producer in this process (started with nothing defined, so that its
 * notification channel is connected) and a worker child process, `agenda.now()` to handler start.
 */
export async function benchPickup(runtime: Runtime, env: Record<string, string>, backend: "postgres" | "mongodb", runs: number): Promise<PickupResult> {
  return { connecthub: await connectHubPickup(runtime, env, runs), raw: await rawAgendaPickup(backend, backend === "mongodb" ? env.MONGODB_URL! : env.DATABASE_URL!, runs) };
}

async function connectHubPickup(runtime: Runtime, env: Record<string, string>, runs: number): Promise<number[]> {
  await runtime.prisma.job.create({ data: { id: "bench.pickup", handlerPath: NOOP_HANDLER, enabled: false, allowOverlap: true } });
  const { token } = await createApiToken(runtime.prisma, "bench-operator", "OPERATOR");
  const port = await freePort();
  const api = spawnRole("api", { ...env, PORT: String(port), HOST: "127.0.0.1" });
  const worker = spawnWorker(env);
  const ended = new Map<number, () => void>();
  const endedEarly = new Set<number>();
  const off = runtime.events.subscribe("jobLog.status", ({ logId, status }) => {
    if (status === "QUEUED" || status === "RUNNING") return;
    const resolve = ended.get(logId);
    if (resolve) resolve();
    else endedEarly.add(logId);
  });
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitReady(baseUrl, api, 400_000);
    const runNow = async (): Promise<number> => {
      const response = await fetch(`${baseUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `mutation { runNow(jobId: "bench.pickup") { ... on MutationRunNowSuccess { data { id } } } }` }),
      });
      const body = (await response.json()) as { data?: { runNow?: { data?: { id: number } } }; errors?: unknown };
      const id = body.data?.runNow?.data?.id;
      if (typeof id !== "number") throw new Error(`runNow failed: ${JSON.stringify(body)}`);
      return id;
    };
    const samples: number[] = [];
    // The first runs warm up both processes (module loading, connections, the worker's first poll).
    for (let i = -5; i < runs; i++) {
      const t0 = Date.now();
      const logId = await runNow();
      if (!endedEarly.delete(logId)) {
        await Promise.race([
          new Promise<void>((resolve) => ended.set(logId, resolve)),
          pause(30_000).then(() => Promise.reject(new Error(`run ${logId} did not end in 30 s:\n${worker.output()}`))),
        ]);
        ended.delete(logId);
      }
      const log = await runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId }, select: { result: true } });
      const started = (log.result as { startedAtMs?: number } | null)?.startedAtMs;
      if (typeof started !== "number") throw new Error(`run ${logId} has no start instant`);
      if (i >= 0) samples.push(started - t0);
      await jitter();
    }
    return samples;
  } finally {
    off();
    await Promise.all([api.stop(), worker.kill("SIGTERM")]);
  }
}

async function rawAgendaPickup(backend: "postgres" | "mongodb", url: string, runs: number): Promise<number[]> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(HERE, "raw-agenda-pickup.ts"), backend, url], { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
  const starts = new Map<number, number>();
  const waiting = new Map<number, (ms: number) => void>();
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  readline.createInterface({ input: child.stdout! }).on("line", (line) => {
    if (line === "ready") return ready();
    const m = /^started (-?\d+) (\d+)$/.exec(line);
    if (!m) return;
    const i = Number(m[1]);
    const at = Number(m[2]);
    const resolve = waiting.get(i);
    if (resolve) resolve(at);
    else starts.set(i, at);
  });
  const producerBackend =
    backend === "mongodb"
      ? new (await import("@agendajs/mongo-backend")).MongoBackend({ address: url, collection: "agendaJobs" })
      : new (await import("@agendajs/postgres-backend")).PostgresBackend({ connectionString: url, tableName: "agenda_jobs", ensureSchema: false });
  const producer = new Agenda({ backend: producerBackend, name: "raw-pickup-producer", processEvery: RAW_POLL_MS });
  producer.on("error", (err) => console.error("raw producer error", err));
  try {
    await isReady;
    await producer.start();
    const samples: number[] = [];
    for (let i = -5; i < runs; i++) {
      const t0 = Date.now();
      await producer.now(RAW_PICKUP_JOB, { i });
      const at =
        starts.get(i) ??
        (await Promise.race([
          new Promise<number>((resolve) => waiting.set(i, resolve)),
          pause(30_000).then(() => Promise.reject(new Error(`raw job ${i} did not start in 30 s`))),
        ]));
      if (i >= 0) samples.push(at - t0);
      await jitter();
    }
    return samples;
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
    await producer.stop().catch(() => undefined);
  }
}

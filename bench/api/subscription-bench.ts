import { fileURLToPath } from "node:url";
import { parseConfig } from "../../server/src/config/config.ts";
import { openRuntime, type Runtime } from "../../server/src/runtime.ts";
import { createApiToken } from "../../server/src/security/auth/index.ts";
import { tempDataDir } from "../../server/test/harness/app.ts";
import { createScratchDatabase } from "../../server/test/harness/postgres.ts";
import { freePort, spawnRole, waitReady, waitWebSocket, type ChildApp } from "./processes.ts";
import { percentile, summary, type Row } from "./stats.ts";
import { TickSubscriber } from "./subscriber.ts";

const TEST_JOBS_ROOT = fileURLToPath(new URL("../../server/test/fixtures/test_jobs", import.meta.url));
const TICKER_HANDLER = "test_jobs.bench-ticker:BenchTickerJob";
const JOB_ID = "bench.ticker";

export interface TickerRun {
  lines: number;
  intervalMs: number;
}

export interface SubscriptionBenchOptions {
  single: TickerRun;
  fanOut: TickerRun & { subscribers: number };
}

/**
 * Three processes on one machine: an `api` process (graphql-ws), a `worker` process running the
 * bench-ticker handler, and this process holding the WebSocket clients. A line travels: handler →
 * run log → pg_notify (worker) → LISTEN (api) → subscription stream → WebSocket → client, which
 * computes receive − write time (`Date.now()` in both processes, same clock).
 */
export async function benchSubscriptions(opts: SubscriptionBenchOptions, rows: Row[]): Promise<void> {
  const db = await createScratchDatabase("connecthub_bench_ws");
  const data = tempDataDir();
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    DATA_DIR: data.dir,
    EXTENSION_ROOTS: TEST_JOBS_ROOT,
    HOST: "127.0.0.1",
    LOG_DIR: "",
    LOG_LEVEL: "warn",
    MONGODB_URL: "",
    TIMEZONE: "UTC",
    ADMIN_USERNAME: "admin",
    ADMIN_PASSWORD: "bench password 1234",
  };
  // Migrates the database and creates the Fernet key the child processes share.
  const runtime = await openRuntime(parseConfig({ ...env, PORT: "0" }, process.cwd()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}/graphql`;
  const children: ChildApp[] = [];
  const subscribers: TickSubscriber[] = [];
  try {
    const api = spawnRole("api", { ...env, PORT: String(port) });
    children.push(api);
    await waitReady(baseUrl, api);
    await waitWebSocket(wsUrl);
    const worker = spawnRole("worker", env);
    children.push(worker);
    const viewer = (await createApiToken(runtime.prisma, "bench-viewer", "VIEWER")).token;
    const operator = (await createApiToken(runtime.prisma, "bench-operator", "OPERATOR")).token;
    await runtime.prisma.job.create({ data: { id: JOB_ID, handlerPath: TICKER_HANDLER, cronExpr: "0 0 1 1 *", publicCfg: {}, allowOverlap: true } });

    const runTicker = async (run: TickerRun, subs: TickSubscriber[], timeoutMs = 120_000) => {
      await runtime.prisma.job.update({ where: { id: JOB_ID }, data: { publicCfg: { lines: run.lines, intervalMs: run.intervalMs } } });
      const res = await fetch(`${baseUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/graphql-response+json", authorization: `Bearer ${operator}` },
        body: JSON.stringify({ query: `mutation { runNow(jobId: "${JOB_ID}") { ... on MutationRunNowSuccess { data { id } } } }` }),
      });
      const logId = ((await res.json()) as any)?.data?.runNow?.data?.id as number | undefined;
      if (!logId) throw new Error(`runNow failed (HTTP ${res.status})`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`run ${logId} not finished for every subscriber after ${timeoutMs} ms\nworker:\n${worker.output().slice(-3000)}\napi:\n${api.output().slice(-3000)}`)), timeoutMs);
      });
      try {
        const seen = await Promise.race([Promise.all(subs.map((s) => s.finished(logId))), timeout]);
        const bad = seen.find((r) => r.finalStatus !== "SUCCESS");
        if (bad) throw new Error(`run ${logId} ended ${bad.finalStatus}\nworker:\n${worker.output().slice(-3000)}`);
        return seen;
      } finally {
        clearTimeout(timer);
      }
    };

    const connect = async (n: number) => {
      const subs = Array.from({ length: n }, () => new TickSubscriber(wsUrl, viewer));
      subscribers.push(...subs);
      for (const s of subs) s.subscribe(JOB_ID);
      // A short run every subscriber sees to its end proves every subscription is live (and warms up).
      await runTicker({ lines: 20, intervalMs: 10 }, subs);
      return subs;
    };

    const report = (label: string, run: TickerRun, n: number, seen: Awaited<ReturnType<typeof runTicker>>) => {
      const all = seen.flatMap((r) => r.latencies);
      const missedBy = seen.filter((r) => r.seqs.size < run.lines);
      const missed = seen.reduce((sum, r) => sum + (run.lines - r.seqs.size), 0);
      const duplicates = seen.reduce((sum, r) => sum + r.duplicates, 0);
      const verdict = percentile(all, 99) < 100 ? "met" : "MISSED";
      const completeness = `${missedBy.length} of ${n} subscribers missed a line (${missed} lines missed, ${duplicates} duplicates)`;
      rows.push([label, `${n} WebSocket subscriber${n > 1 ? "s" : ""}, ${run.lines} lines every ${run.intervalMs} ms, ${all.length} deliveries`, `${summary(all, 0)}; ${completeness}`, `p99 < 100 ms: ${verdict}${missed ? ", lines MISSED" : ""}`]);
      console.log(`${label}: ${summary(all, 0)}; ${completeness}`);
    };

    const one = await connect(1);
    report("run-log line worker → WebSocket", opts.single, 1, await runTicker(opts.single, one));
    await Promise.all(one.map((s) => s.close()));

    const many = await connect(opts.fanOut.subscribers);
    report("run-log line worker → WebSocket, fan-out", opts.fanOut, opts.fanOut.subscribers, await runTicker(opts.fanOut, many));
  } finally {
    await Promise.all(subscribers.map((s) => s.close().catch(() => undefined)));
    for (const c of children.reverse()) await c.stop();
    await runtime.close();
    await db.drop();
    data.cleanup();
  }
}

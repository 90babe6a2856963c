// What metrics and the audit log cost on the Run Now path. Two deployments run side by side, each
// a real `api` process and a real `worker` process on its own database: "off" with
// METRICS_ENABLED=false and AUDIT_ENABLED=false, "on" with both true (the defaults). Blocks of Run
// Now mutations go to one side, then the other (ABBA order), each block timed from its first
// mutation to its last run's end; each pair of blocks gives an on/off ratio. On this shared machine
// the load drifts by 2× within minutes: short alternating blocks keep that drift out of the ratio,
// where whole rounds one after another did not. Even so, wall time swings ±50 % between blocks
// here; CPU time per run (the api and worker processes plus the PostgreSQL backends serving that
// side's database) barely moves with the load, so it is measured too and is the steadier ratio.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { migrate } from "../../server/src/db/migrator.ts";
import { createPrisma, type Prisma } from "../../server/src/db/prisma.ts";
import { createApiToken } from "../../server/src/security/auth/index.ts";
import { createScratchDatabase } from "../../server/test/harness/postgres.ts";
import { deployment, eventually, gql, spawnRole, type RoleProcess } from "../../server/test/harness/processes.ts";
import { NOOP_HANDLER } from "../../server/test/scheduler/scheduler-harness.ts";

export interface ObservabilityCostOptions {
  /** Run Now mutations per block. */
  runs: number;
  /** Clients sending mutations at once (each waits for its answer before the next). */
  clients: number;
  /** Blocks per side. */
  blocks: number;
  warmup: number;
  /**
   * What the "on" side switches on (BENCH_OBS_ON): both (default), metrics only, audit only, or
   * none — an A/A control whose ratio shows the method's own bias and noise.
   */
  on: { metrics: boolean; audit: boolean };
}

/** BENCH_OBS_ON: "metrics,audit" (default), "metrics", "audit" or "none". */
export function parseOnSwitches(value = "metrics,audit"): { metrics: boolean; audit: boolean } {
  const parts = value.split(",").map((p) => p.trim());
  for (const p of parts) if (!["metrics", "audit", "none"].includes(p)) throw new Error(`BENCH_OBS_ON: unknown part "${p}" (metrics, audit or none)`);
  return { metrics: parts.includes("metrics"), audit: parts.includes("audit") };
}

type Side = "off" | "on";

interface BlockResult {
  /** First mutation sent → last run finished. */
  runsPerSec: number;
  /** CPU ms per run: api + worker processes + this side's PostgreSQL backends. */
  cpuMsPerRun: number;
  /** First mutation sent → last answer received. */
  mutationsPerSec: number;
  mutationP50Ms: number;
}

interface Deployed {
  side: Side;
  api: RoleProcess;
  worker: RoleProcess;
  token: string;
  prisma: Prisma;
  /** Highest run id so far: the next block's runs come after it. */
  lastId: number;
  /** Measured runs that did not end SUCCESS. */
  failed: number;
  close(): Promise<void>;
}

const JOB_ID = "bench.burst";
const FINAL = ["SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"] as const;
const RUN_NOW = `mutation($j: String!) { runNow(jobId: $j) { __typename ... on MutationRunNowSuccess { data { id } } ... on Error { message } } }`;

const TICK_MS = 1000 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim() || 100);

/** user + system CPU of a process so far, in ms; null once it is gone. */
function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/** The processes doing one side's work: its api, its worker, and the backends on its database. */
async function sidePids(d: Deployed): Promise<number[]> {
  // Client backends only: an autovacuum worker that comes or goes within a block would count its
  // whole life (or go negative), which made single pair ratios of 0.6 or 4 before this filter.
  const rows = await d.prisma.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`;
  return [d.api.child.pid!, d.worker.child.pid!, ...rows.map((r) => r.pid)];
}

/**
 * Geometric mean of the pair ratios: with ABBA each side is first in half of the pairs, so an
 * effect of going first or second cancels out (seen here: the second block of a pair costs more
 * CPU, whichever side it is), which the median of the ratios does not do.
 */
const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/** Two-sided 95 % t quantile for `df` degrees of freedom (table to 30, then the usual approximation). */
function t95(df: number): number {
  const table = [12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
  return table[df - 1] ?? 1.96 + 2.4 / df;
}

/**
 * 95 % confidence interval of the geometric mean of the pair ratios (a t interval on their logs):
 * how far the machine's pair-to-pair noise leaves the answer open.
 */
function interval(xs: number[]): [number, number] {
  const logs = xs.map(Math.log);
  const mean = logs.reduce((a, x) => a + x, 0) / logs.length;
  const sd = Math.sqrt(logs.reduce((a, x) => a + (x - mean) ** 2, 0) / (logs.length - 1));
  const half = (t95(logs.length - 1) * sd) / Math.sqrt(logs.length);
  return [Math.exp(mean - half), Math.exp(mean + half)];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function runNow(d: Deployed): Promise<number> {
  const r = await gql<{ data?: { runNow: { data?: { id: number }; message?: string } } }>(d.api, d.token, RUN_NOW, { j: JOB_ID });
  const id = r.data?.runNow.data?.id;
  if (typeof id !== "number") throw new Error(`${d.side}: runNow failed: ${JSON.stringify(r)}`);
  return id;
}

async function deploy(side: Side, on: ObservabilityCostOptions["on"]): Promise<Deployed> {
  const db = await createScratchDatabase(`connecthub_bench_obs_${side}`);
  await migrate(db.url);
  const prisma = createPrisma(db.url, 2);
  const flag = (what: boolean) => (side === "on" && what ? "true" : "false");
  const dep = await deployment(db.url, { LOG_LEVEL: "warn", TIMEZONE: "UTC", WORKER_CONCURRENCY: "10", METRICS_ENABLED: flag(on.metrics), AUDIT_ENABLED: flag(on.audit) });
  const { token } = await createApiToken(prisma, "bench-operator", "ADMIN");
  await prisma.job.create({ data: { id: JOB_ID, handlerPath: NOOP_HANDLER, enabled: false, allowOverlap: true } });
  const api = await spawnRole("api", dep);
  const worker = await spawnRole("worker", dep);
  return {
    side,
    api,
    worker,
    token,
    prisma,
    lastId: 0,
    failed: 0,
    async close() {
      await worker.stop();
      await api.stop();
      await prisma.$disconnect();
      dep.cleanup();
      await db.drop();
    },
  };
}

async function block(d: Deployed, runs: number, clients: number): Promise<BlockResult> {
  const after = d.lastId;
  const pidsBefore = await sidePids(d);
  const cpuBefore = new Map(pidsBefore.map((p) => [p, cpuMs(p) ?? 0]));
  const latencies: number[] = [];
  let sent = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (sent < runs) {
        sent++;
        const s = performance.now();
        d.lastId = Math.max(d.lastId, await runNow(d));
        latencies.push(performance.now() - s);
      }
    }),
  );
  const answered = Date.now();
  const where = { id: { gt: after } };
  await eventually(`${d.side}: the block's runs finishing`, async () => (await d.prisma.jobLog.count({ where: { ...where, status: { in: [...FINAL] } } })) >= runs, 600_000, 50);
  // Reported, not fatal: on this machine a run now and then ends otherwise under the load.
  const failed = await d.prisma.jobLog.findMany({ where: { ...where, status: { not: "SUCCESS" } }, select: { id: true, status: true, message: true } });
  for (const f of failed) console.log(`  ${d.side}: run ${f.id} ended ${f.status}: ${f.message ?? ""}`);
  d.failed += failed.length;
  const end = (await d.prisma.jobLog.aggregate({ where, _max: { finishedAt: true } }))._max.finishedAt!.getTime();
  // Backends that came and went during the block are missed (the pools keep theirs open).
  // A process gone by now (a backend closed) is left out rather than counted as negative.
  let cpu = 0;
  for (const pid of new Set([...pidsBefore, ...(await sidePids(d))])) {
    const now = cpuMs(pid);
    if (now !== null) cpu += now - (cpuBefore.get(pid) ?? 0);
  }
  return { runsPerSec: runs / ((end - t0) / 1000), cpuMsPerRun: cpu / runs, mutationsPerSec: runs / ((answered - t0) / 1000), mutationP50Ms: median(latencies) };
}

/** Proof each switch did what it says: audit rows and a scrape on one side, neither on the other. */
async function checkSwitches(d: Deployed, on: ObservabilityCostOptions["on"], expectedRuns: number): Promise<void> {
  const auditEvents = await d.prisma.auditEvent.count({ where: { action: "run.now" } });
  const expected = d.side === "on" && on.audit ? expectedRuns : 0;
  if (auditEvents !== expected) throw new Error(`${d.side}: ${auditEvents} run.now audit events, expected ${expected}`);
  const scrape = await fetch(`${d.api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${d.token}` } });
  const body = await scrape.text();
  const ok = d.side === "on" && on.metrics ? /^connecthub_graphql_operations_total\{operation="anonymous",type="mutation",outcome="success"\} \d+/m.test(body) : scrape.status === 404;
  if (!ok) throw new Error(`${d.side}: /metrics answered ${scrape.status} ${body.slice(0, 200)}`);
}

export async function benchObservabilityCost(opts: ObservabilityCostOptions, row: (...cells: string[]) => void): Promise<void> {
  const sides: Deployed[] = [];
  try {
    for (const side of ["off", "on"] as const) sides.push(await deploy(side, opts.on));
    const [off, on] = sides as [Deployed, Deployed];
    for (const d of sides) {
      await eventually(`${d.side}: the api process answering /ready`, async () => (await fetch(`${d.api.baseUrl}/ready`).catch(() => null))?.ok, 180_000, 500);
      // Warm-up: both processes have started, compiled their paths and loaded the handler.
      await block(d, opts.warmup, 1);
    }

    const results: Record<Side, BlockResult[]> = { off: [], on: [] };
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    for (let i = 0; i < opts.blocks; i++) {
      const order = i % 2 === 0 ? [off, on] : [on, off];
      for (const d of order) results[d.side].push(await block(d, opts.runs, opts.clients));
      const pair = { off: results.off.at(-1)!, on: results.on.at(-1)! };
      ratios.push(pair.on.runsPerSec / pair.off.runsPerSec);
      cpuRatios.push(pair.on.cpuMsPerRun / pair.off.cpuMsPerRun);
      console.log(
        `  block ${i + 1} (${order.map((d) => d.side).join(" then ")}): off ${pair.off.runsPerSec.toFixed(1)} runs/s, ${pair.off.cpuMsPerRun.toFixed(1)} CPU ms/run (mutation p50 ${pair.off.mutationP50Ms.toFixed(0)} ms); ` +
          `on ${pair.on.runsPerSec.toFixed(1)} runs/s, ${pair.on.cpuMsPerRun.toFixed(1)} CPU ms/run (mutation p50 ${pair.on.mutationP50Ms.toFixed(0)} ms): on/off throughput ${ratios.at(-1)!.toFixed(3)}, CPU per run ${cpuRatios.at(-1)!.toFixed(3)}`,
      );
    }
    for (const d of sides) await checkSwitches(d, opts.on, opts.warmup + opts.blocks * opts.runs);

    const of = (side: Side, key: keyof BlockResult) => median(results[side].map((r) => r[key]));
    const ratio = geomean(ratios);
    const cpuRatio = geomean(cpuRatios);
    const pct = (r: number) => `${((r - 1) * 100).toFixed(1)} %`;
    const [cpuLow, cpuHigh] = interval(cpuRatios);
    const [tLow, tHigh] = interval(ratios);
    const onSettings = `METRICS_ENABLED=${opts.on.metrics} AUDIT_ENABLED=${opts.on.audit}`;
    row(
      "throughput: observability cost",
      `Run Now mutations over HTTP (${opts.clients} clients) → api process → 1 worker process (WORKER_CONCURRENCY=10), postgres; off (METRICS_ENABLED=false AUDIT_ENABLED=false) and on (${onSettings}) side by side, ${opts.blocks} blocks of ${opts.runs} per side, ABBA`,
      `end to end (first mutation → last run's end), medians: off ${of("off", "runsPerSec").toFixed(1)} runs/s, on ${of("on", "runsPerSec").toFixed(1)} runs/s; ` +
        `on/off per block pair [${ratios.map((r) => r.toFixed(3)).join(", ")}], geometric mean **${ratio.toFixed(3)}** (cost ${((1 - ratio) * 100).toFixed(1)} %, 95 % interval ${((1 - tHigh) * 100).toFixed(1)} … ${((1 - tLow) * 100).toFixed(1)} %); ` +
        `CPU per run (api + worker + PostgreSQL backends), medians: off ${of("off", "cpuMsPerRun").toFixed(1)} ms, on ${of("on", "cpuMsPerRun").toFixed(1)} ms; on/off per pair [${cpuRatios.map((r) => r.toFixed(3)).join(", ")}], geometric mean **${cpuRatio.toFixed(3)}** (cost ${pct(cpuRatio)}, 95 % interval ${pct(cpuLow)} … ${pct(cpuHigh)}); ` +
        `mutation p50 off ${of("off", "mutationP50Ms").toFixed(0)} ms, on ${of("on", "mutationP50Ms").toFixed(0)} ms; runs not SUCCESS: off ${off.failed}, on ${on.failed}`,
    );
  } finally {
    for (const d of sides.reverse()) await d.close().catch((err) => console.error(err));
  }
}

// What metrics and the audit log cost on the Run Now path: the same burst of Run Now mutations,
// through a real `api` process and a real `worker` process, with METRICS_ENABLED/AUDIT_ENABLED
// false ("off") and true ("on"), rounds alternating in one run (off on on off off on …), median of
// each side and their ratio.
import { migrate } from "../../server/src/db/migrator.ts";
import { createPrisma, type Prisma } from "../../server/src/db/prisma.ts";
import { createApiToken } from "../../server/src/security/auth/index.ts";
import { createScratchDatabase } from "../../server/test/harness/postgres.ts";
import { deployment, eventually, gql, spawnRole, type RoleProcess } from "../../server/test/harness/processes.ts";
import { NOOP_HANDLER } from "../../server/test/scheduler/scheduler-harness.ts";

export interface ObservabilityCostOptions {
  /** Measured Run Now mutations per round. */
  runs: number;
  /** Clients sending mutations at once (each waits for its answer before the next). */
  clients: number;
  /** Rounds per side. */
  rounds: number;
  warmup: number;
}

type Side = "off" | "on";

export interface RoundResult {
  side: Side;
  /** First mutation sent → last run finished. */
  runsPerSec: number;
  /** First mutation sent → last answer received. */
  mutationsPerSec: number;
  mutationP50Ms: number;
  auditEvents: number;
}

const JOB_ID = "bench.burst";
const FINAL = ["SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"] as const;
const RUN_NOW = `mutation($j: String!) { runNow(jobId: $j) { __typename ... on MutationRunNowSuccess { data { id } } ... on Error { message } } }`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function runNow(api: RoleProcess, token: string): Promise<number> {
  const r = await gql<{ data?: { runNow: { data?: { id: number }; message?: string } } }>(api, token, RUN_NOW, { j: JOB_ID });
  const id = r.data?.runNow.data?.id;
  if (typeof id !== "number") throw new Error(`runNow failed: ${JSON.stringify(r)}`);
  return id;
}

async function finishedAfter(prisma: Prisma, afterId: number): Promise<number> {
  return prisma.jobLog.count({ where: { id: { gt: afterId }, status: { in: [...FINAL] } } });
}

async function oneRound(side: Side, opts: ObservabilityCostOptions): Promise<RoundResult> {
  const db = await createScratchDatabase("connecthub_bench_obs");
  await migrate(db.url);
  const prisma = createPrisma(db.url, 2);
  const flag = side === "on" ? "true" : "false";
  const deploy = await deployment(db.url, { LOG_LEVEL: "warn", TIMEZONE: "UTC", WORKER_CONCURRENCY: "10", METRICS_ENABLED: flag, AUDIT_ENABLED: flag });
  const procs: RoleProcess[] = [];
  try {
    const { token } = await createApiToken(prisma, "bench-operator", "ADMIN");
    await prisma.job.create({ data: { id: JOB_ID, handlerPath: NOOP_HANDLER, enabled: false, allowOverlap: true } });
    const api = await spawnRole("api", deploy);
    procs.push(api);
    procs.push(await spawnRole("worker", deploy));
    await eventually("the api process answering /ready", async () => (await fetch(`${api.baseUrl}/ready`).catch(() => null))?.ok, 180_000, 500);

    // Warm-up: both processes have started, compiled their paths and loaded the handler.
    let lastWarm = 0;
    for (let i = 0; i < opts.warmup; i++) lastWarm = await runNow(api, token);
    await eventually("the warm-up runs finishing", async () => (await finishedAfter(prisma, 0)) >= opts.warmup, 180_000, 250);

    const latencies: number[] = [];
    let sent = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: opts.clients }, async () => {
        while (sent < opts.runs) {
          sent++;
          const s = performance.now();
          await runNow(api, token);
          latencies.push(performance.now() - s);
        }
      }),
    );
    const answered = Date.now();
    await eventually("the measured runs finishing", async () => (await finishedAfter(prisma, lastWarm)) >= opts.runs, 600_000, 250);
    const span = await prisma.jobLog.aggregate({ where: { id: { gt: lastWarm } }, _max: { finishedAt: true } });
    const failed = await prisma.jobLog.count({ where: { id: { gt: lastWarm }, status: { not: "SUCCESS" } } });
    if (failed) throw new Error(`${failed} measured runs did not succeed`);

    // Proof the switch did what it says: audit rows and a scrape on one side, none on the other.
    const auditEvents = await prisma.auditEvent.count({ where: { action: "run.now" } });
    const expectedAudit = side === "on" ? opts.runs + opts.warmup : 0;
    if (auditEvents !== expectedAudit) throw new Error(`${side}: ${auditEvents} run.now audit events, expected ${expectedAudit}`);
    const scrape = await fetch(`${api.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    const body = await scrape.text();
    if (side === "on" ? !body.includes('connecthub_graphql_operations_total{operation="anonymous",type="mutation",outcome="success"}') : scrape.status !== 404) {
      throw new Error(`${side}: /metrics answered ${scrape.status} ${body.slice(0, 200)}`);
    }

    return {
      side,
      runsPerSec: opts.runs / ((span._max.finishedAt!.getTime() - t0) / 1000),
      mutationsPerSec: opts.runs / ((answered - t0) / 1000),
      mutationP50Ms: median(latencies),
      auditEvents,
    };
  } finally {
    for (const p of procs.reverse()) await p.stop();
    await prisma.$disconnect();
    deploy.cleanup();
    await db.drop();
  }
}

/** ABBA order (off on on off off on …): a slow drift of the shared machine's load hits both sides alike. */
export function roundOrder(rounds: number): Side[] {
  const order: Side[] = [];
  for (let i = 0; i < rounds; i++) order.push(...((i % 2 === 0 ? ["off", "on"] : ["on", "off"]) as Side[]));
  return order;
}

export async function benchObservabilityCost(opts: ObservabilityCostOptions, row: (...cells: string[]) => void): Promise<void> {
  const results: RoundResult[] = [];
  for (const side of roundOrder(opts.rounds)) {
    const r = await oneRound(side, opts);
    results.push(r);
    console.log(`  round ${results.length} (${side}): ${r.runsPerSec.toFixed(1)} runs/s end to end, ${r.mutationsPerSec.toFixed(1)} mutations/s, mutation p50 ${r.mutationP50Ms.toFixed(1)} ms, ${r.auditEvents} run.now audit events`);
  }
  const of = (side: Side, key: "runsPerSec" | "mutationsPerSec" | "mutationP50Ms") => median(results.filter((r) => r.side === side).map((r) => r[key]));
  const list = (side: Side) => results.filter((r) => r.side === side).map((r) => r.runsPerSec.toFixed(1)).join(", ");
  const setup = `${opts.runs} Run Now mutations (${opts.clients} clients) → api process → 1 worker process, postgres; median of ${opts.rounds} rounds per side, ABBA order`;
  const off = of("off", "runsPerSec");
  const on = of("on", "runsPerSec");
  row(
    "throughput: observability cost",
    setup,
    `end to end: off ${off.toFixed(1)} runs/s [${list("off")}], on ${on.toFixed(1)} runs/s [${list("on")}]: on/off ${(on / off).toFixed(3)} (cost ${((1 - on / off) * 100).toFixed(1)} %); ` +
      `mutations: off ${of("off", "mutationsPerSec").toFixed(1)}/s p50 ${of("off", "mutationP50Ms").toFixed(1)} ms, on ${of("on", "mutationsPerSec").toFixed(1)}/s p50 ${of("on", "mutationP50Ms").toFixed(1)} ms: on/off ${(of("on", "mutationsPerSec") / of("off", "mutationsPerSec")).toFixed(3)}`,
  );
}

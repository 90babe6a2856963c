// npm run soak -- --minutes N [--jobs 100] [--workers 2]
//
// A soak under faults, not a test: an api and N workers (real processes) on a throwaway PostgreSQL
// cluster, `--jobs` every-minute jobs, while a chaos loop kills a random worker with SIGKILL (and
// starts it again) or terminates every database connection, every 15–45 s. Afterwards every
// (job, minute slot) of the soak is accounted for: fired (ran and succeeded), missed (no run, a
// recorded skip, or a run that did not succeed), duplicated (more than one run), late (started more
// than 10 s after its slot). Exits 1 on any missed or duplicated slot.
import { parseArgs } from "node:util";
import { migrate } from "../../server/src/db/migrator.ts";
import { createPrisma } from "../../server/src/db/prisma.ts";
import { startPgCluster } from "../../server/test/harness/pg-cluster.ts";
import { deployment, eventually, ready, spawnRole, type RoleProcess } from "../../server/test/harness/processes.ts";

const NOOP_HANDLER = "test_jobs.scheduler-noop:SchedulerNoopJob";
const LATE_MS = 10_000;
const FINAL = ["SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"];

const { values } = parseArgs({
  options: { minutes: { type: "string", default: "10" }, jobs: { type: "string", default: "100" }, workers: { type: "string", default: "2" } },
});
const minutes = Number(values.minutes);
const jobCount = Number(values.jobs);
const workerCount = Number(values.workers);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stamp = () => new Date().toISOString().slice(11, 19);
const say = (msg: string) => console.log(`${stamp()} ${msg}`);

const cluster = await startPgCluster();
const procs: RoleProcess[] = [];
let exitCode = 1;
try {
  const url = await cluster.createDatabase("connecthub");
  await migrate(url);
  // Info: the start line tells when a worker is up (output is kept in memory, bounded).
  const deploy = await deployment(url, { TIMEZONE: "UTC", LOG_LEVEL: "info" });
  const prisma = createPrisma(url, 2);

  say(`starting api + ${workerCount} workers on a throwaway cluster (port ${cluster.port})`);
  const api = await spawnRole("api", deploy);
  const workers: RoleProcess[] = [];
  for (let i = 0; i < workerCount; i++) workers.push(await spawnRole("worker", deploy));
  procs.push(api, ...workers);
  await eventually("the api ready", async () => (await ready(api))?.status === 200, 180_000);
  await eventually("the workers started", async () => workers.every((w) => /worker started/.test(w.output())), 180_000);

  const created = new Date();
  await prisma.job.createMany({
    data: Array.from({ length: jobCount }, (_, i) => ({
      id: `soak.job_${String(i).padStart(4, "0")}`,
      handlerPath: NOOP_HANDLER,
      cronExpr: "* * * * *",
      enabled: true,
      createdAt: created,
      updatedAt: created,
    })),
  });
  // Slots from the first whole minute after the jobs exist to the last one before the chaos ends.
  const firstSlot = Math.ceil((created.getTime() + 5_000) / 60_000) * 60_000;
  const end = created.getTime() + minutes * 60_000;
  const lastSlot = Math.floor(end / 60_000) * 60_000;
  say(`${jobCount} every-minute jobs; slots ${new Date(firstSlot).toISOString()} … ${new Date(lastSlot).toISOString()}; chaos until ${new Date(end).toISOString()}`);

  const actions: string[] = [];
  while (Date.now() < end - 5_000) {
    await sleep(15_000 + Math.random() * 30_000);
    if (Date.now() >= end - 5_000) break;
    if (Math.random() < 0.5) {
      const i = Math.floor(Math.random() * workers.length);
      const victim = workers[i]!;
      await victim.stop("SIGKILL");
      actions.push(`${stamp()} kill -9 worker ${i}`);
      say(`kill -9 worker ${i} (pid ${victim.child.pid}); restarting it in 2 s`);
      await sleep(2_000);
      workers[i] = await spawnRole("worker", deploy);
      procs.push(workers[i]!);
    } else {
      const n = await cluster.terminateConnections("connecthub").catch(() => 0);
      actions.push(`${stamp()} terminated ${n} connections`);
      say(`terminated ${n} database connections`);
    }
    const dead = [api, ...workers].filter((p) => !p.alive());
    if (dead.length) say(`WARNING: ${dead.map((p) => `${p.role} pid ${p.child.pid}`).join(", ")} exited by itself:\n${dead.map((p) => p.output()).join("\n")}`);
  }

  say("chaos over; waiting for the last slots' runs to finish");
  const slots = Array.from({ length: Math.max(0, (lastSlot - firstSlot) / 60_000 + 1) }, (_, i) => new Date(firstSlot + i * 60_000));
  await eventually(
    "every run of the soak's slots to finish",
    async () => {
      const open = await prisma.jobLog.count({ where: { jobId: { startsWith: "soak." }, scheduledAt: { gte: slots[0], lte: slots.at(-1) }, status: { notIn: FINAL as never } } });
      const recorded = await prisma.fireRecord.count({ where: { jobId: { startsWith: "soak." }, scheduledAt: { gte: slots[0], lte: slots.at(-1) } } });
      return open === 0 && recorded >= slots.length * jobCount;
    },
    180_000,
    2_000,
  ).catch((error) => say(`not everything settled: ${(error as Error).message}`));

  const runs = await prisma.jobLog.findMany({
    where: { jobId: { startsWith: "soak." }, scheduledAt: { gte: slots[0], lte: slots.at(-1) } },
    select: { jobId: true, scheduledAt: true, startedAt: true, status: true },
  });
  const records = await prisma.fireRecord.findMany({ where: { jobId: { startsWith: "soak." }, scheduledAt: { gte: slots[0], lte: slots.at(-1) } } });
  console.log("\n| slot (UTC) | fired | missed | duplicated | late > 10 s | notes |");
  console.log("|---|---|---|---|---|---|");
  const totals = { fired: 0, missed: 0, duplicated: 0, late: 0 };
  for (const slot of slots) {
    const at = slot.getTime();
    const here = runs.filter((r) => r.scheduledAt!.getTime() === at);
    const byJob = new Map<string, typeof here>();
    for (const r of here) byJob.set(r.jobId, [...(byJob.get(r.jobId) ?? []), r]);
    const skipped = records.filter((r) => r.scheduledAt.getTime() === at && r.outcome.startsWith("SKIPPED"));
    let fired = 0;
    let late = 0;
    let duplicated = 0;
    const notes = new Map<string, number>();
    for (const [, jobRuns] of byJob) {
      if (jobRuns.length > 1) duplicated++;
      const ok = jobRuns.find((r) => r.status === "SUCCESS");
      if (ok) {
        fired++;
        if (ok.startedAt && ok.startedAt.getTime() - at > LATE_MS) late++;
      } else {
        for (const r of jobRuns) notes.set(r.status, (notes.get(r.status) ?? 0) + 1);
      }
    }
    for (const s of skipped) notes.set(s.outcome, (notes.get(s.outcome) ?? 0) + 1);
    const missed = jobCount - fired;
    totals.fired += fired;
    totals.missed += missed;
    totals.duplicated += duplicated;
    totals.late += late;
    console.log(`| ${slot.toISOString().slice(11, 16)} | ${fired} | ${missed} | ${duplicated} | ${late} | ${[...notes].map(([k, v]) => `${v} ${k}`).join(", ")} |`);
  }
  console.log(`| **total** | ${totals.fired} | ${totals.missed} | ${totals.duplicated} | ${totals.late} | ${slots.length} slots × ${jobCount} jobs |`);
  console.log(`\nfaults injected (${actions.length}): ${actions.join("; ")}`);
  const exited = procs.filter((p) => !p.alive() && p.child.signalCode !== "SIGKILL");
  console.log(`processes that exited by themselves: ${exited.length}`);
  await prisma.$disconnect();
  exitCode = totals.missed || totals.duplicated || exited.length || slots.length === 0 ? 1 : 0;
  console.log(exitCode ? "RESULT: LOSS (missed, duplicated or crashed)" : "RESULT: no slot missed or duplicated");
  deploy.cleanup();
} finally {
  await Promise.all(procs.map((p) => p.stop("SIGTERM", 15_000)));
  await cluster.destroy();
}
process.exit(exitCode);

import { countInRange } from "../arg-checks.ts";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import {
  activeRuns,
  runningByWorker,
  jobRunStats,
  mostFailing,
  runBuckets,
  slowest,
  statusTotals,
  upcomingFires,
  windowSpan,
  type ActiveRuns,
  type JobRunStats,
  type RunBucket,
  type StatusCount,
  type UpcomingFire,
  type WindowSpan,
} from "../dashboard/index.ts";
import { aliveWorkers, STALE_AFTER_BEATS, type WorkerPresence } from "../../workers/index.ts";
import { JobStatusEnum } from "./enums.ts";

/** One dashboard request: the window fixed once, the per-job scan shared by the fields that need it. */
interface DashboardRoot {
  span: WindowSpan;
  ctx: GraphQLContext;
  buckets?: Promise<RunBucket[]>;
  jobStats?: Promise<JobRunStats[]>;
  workers?: Promise<WorkerPresence[]>;
  running?: Promise<Map<string, number>>;
}

const bucketsOf = (root: DashboardRoot) => (root.buckets ??= runBuckets(root.ctx.runtime.prisma, root.span, root.ctx.runtime.config.TIMEZONE));
const workersOf = (root: DashboardRoot) => (root.workers ??= aliveWorkers(root.ctx.runtime.prisma));
const runningOf = (root: DashboardRoot) => (root.running ??= runningByWorker(root.ctx.runtime.prisma));
const statsOf = (root: DashboardRoot) => (root.jobStats ??= jobRunStats(root.ctx.runtime.prisma, root.span));

const DashboardWindowEnum = builder.enumType("DashboardWindow", { values: ["LAST_24H", "LAST_7D"] as const });

const StatusCountRef = builder.objectRef<StatusCount>("StatusCount").implement({
  fields: (t) => ({ status: t.field({ type: JobStatusEnum, resolve: (c) => c.status }), count: t.exposeInt("count") }),
});

const RunBucketRef = builder.objectRef<RunBucket>("RunBucket").implement({
  description: "Runs created in one hour (LAST_24H) or one day of the server's zone (LAST_7D), by status.",
  fields: (t) => ({
    start: t.field({ type: "DateTime", resolve: (b) => b.start }),
    counts: t.field({ type: [StatusCountRef], resolve: (b) => b.counts }),
  }),
});

const JobRunStatsRef = builder.objectRef<JobRunStats>("JobRunStats").implement({
  description: "One job's runs created in the window.",
  fields: (t) => ({
    jobId: t.exposeString("jobId"),
    runs: t.exposeInt("runs", { description: "Runs created in the window, whatever their status." }),
    succeeded: t.exposeInt("succeeded"),
    failed: t.exposeInt("failed", { description: "FAILURE and ABANDONED runs." }),
    failureRate: t.float({ nullable: true, description: "failed / (succeeded + failed), 0–1; null while none has an outcome.", resolve: (s) => s.failureRate }),
    p95DurationMs: t.float({ nullable: true, description: "95th percentile (interpolated) duration of succeeded and failed runs.", resolve: (s) => s.p95DurationMs }),
    avgDurationMs: t.float({ nullable: true, resolve: (s) => s.avgDurationMs }),
    maxDurationMs: t.float({ nullable: true, resolve: (s) => s.maxDurationMs }),
  }),
});

const ActiveRunsRef = builder.objectRef<ActiveRuns>("ActiveRuns").implement({
  description: "Runs in progress now, across every worker.",
  fields: (t) => ({
    running: t.exposeInt("running"),
    queued: t.exposeInt("queued", { description: "QUEUED for now or a past instant: waiting for a worker." }),
    planned: t.exposeInt("planned", { description: "QUEUED ahead of a future slot." }),
  }),
});

/** A worker and the dashboard it was read for (its live RUNNING count comes from job_logs). */
type WorkerRow = WorkerPresence & { root: DashboardRoot };

const WorkerAliveRef = builder.objectRef<WorkerRow>("WorkerAlive").implement({
  description: `A worker process (role worker or all) alive by its presence heartbeat: it beat within ${STALE_AFTER_BEATS} of its HEARTBEAT_SECONDS intervals. Idle workers are listed too.`,
  fields: (t) => ({
    workerId: t.exposeString("workerId", { description: "host:pid of the worker process (job runs' workerId)." }),
    host: t.exposeString("host"),
    pid: t.exposeInt("pid"),
    role: t.exposeString("role", { description: "The process role: worker or all." }),
    startedAt: t.field({ type: "DateTime", resolve: (w) => w.startedAt }),
    lastHeartbeatAt: t.field({ type: "DateTime", resolve: (w) => w.lastHeartbeatAt }),
    heartbeatSeconds: t.exposeInt("heartbeatSeconds", { description: "The worker's beat interval (its HEARTBEAT_SECONDS)." }),
    runSlots: t.exposeInt("runSlots", { description: "Runs it may execute at once (its WORKER_CONCURRENCY)." }),
    runsInFlight: t.exposeInt("runsInFlight", { description: "Runs it was executing at its last beat." }),
    runningRuns: t.int({ description: "RUNNING runs it holds now (from the runs themselves, fresher than runsInFlight).", resolve: async (w) => (await runningOf(w.root)).get(w.workerId) ?? 0 }),
    stoppingSince: t.field({ type: "DateTime", nullable: true, description: "Set once it began a graceful stop (it takes no new runs).", resolve: (w) => w.stoppingSince }),
  }),
});

const UpcomingFireRef = builder.objectRef<UpcomingFire>("UpcomingFire").implement({
  fields: (t) => ({ jobId: t.exposeString("jobId"), at: t.field({ type: "DateTime", resolve: (f) => f.at }) }),
});

const DashboardRef = builder.objectRef<DashboardRoot>("Dashboard").implement({
  description: "What the admin's home shows. Every figure is computed in SQL when asked for; unrequested fields cost nothing.",
  fields: (t) => ({
    window: t.field({ type: DashboardWindowEnum, resolve: (r) => r.span.window }),
    since: t.field({ type: "DateTime", description: "Runs created from this instant …", resolve: (r) => r.span.since }),
    until: t.field({ type: "DateTime", description: "… up to this one (the request's time).", resolve: (r) => r.span.until }),
    statusCounts: t.field({ type: [StatusCountRef], description: "Runs created in the window by status, most frequent first.", resolve: async (r) => statusTotals(await bucketsOf(r)) }),
    buckets: t.field({ type: [RunBucketRef], description: "The window's runs per hour or day, oldest first (the first bucket is partial).", resolve: bucketsOf }),
    jobStats: t.field({ type: [JobRunStatsRef], description: "Every job with runs in the window, by id.", resolve: statsOf }),
    slowestJobs: t.field({
      type: [JobRunStatsRef],
      args: { count: t.arg.int({ defaultValue: 5, description: "How many (1–20)." }) },
      description: "Jobs with the highest p95 duration.",
      resolve: async (r, args) => slowest(await statsOf(r), countInRange("count", args.count, 5, 1, 20)),
    }),
    mostFailingJobs: t.field({
      type: [JobRunStatsRef],
      args: { count: t.arg.int({ defaultValue: 5, description: "How many (1–20)." }) },
      description: "Jobs with the most failed runs (then the highest failure rate); jobs that never failed are left out.",
      resolve: async (r, args) => mostFailing(await statsOf(r), countInRange("count", args.count, 5, 1, 20)),
    }),
    active: t.field({ type: ActiveRunsRef, description: "Now, whatever the window.", resolve: (r) => activeRuns(r.ctx.runtime.prisma, r.span.until) }),
    workersAlive: t.int({ description: "How many worker processes are alive now (see workers), whatever the window.", resolve: async (r) => (await workersOf(r)).length }),
    workers: t.field({
      type: [WorkerAliveRef],
      description: "The worker processes alive now, by id: each beats every HEARTBEAT_SECONDS; one silent for three beats is gone.",
      resolve: async (r) => (await workersOf(r)).map((w) => ({ ...w, root: r })),
    }),
    nextFires: t.field({
      type: [UpcomingFireRef],
      args: { count: t.arg.int({ defaultValue: 10, description: "How many (1–50)." }) },
      description: "The next fires across every enabled job, soonest first.",
      resolve: (r, args) => upcomingFires(r.ctx.runtime.prisma, countInRange("count", args.count, 10, 1, 50), r.ctx.runtime.config.TIMEZONE, r.span.until),
    }),
  }),
});

builder.queryFields((t) => ({
  dashboard: t.field({
    type: DashboardRef,
    args: { window: t.arg({ type: DashboardWindowEnum, defaultValue: "LAST_24H" }) },
    description: "Run figures for the admin's home over the last 24 hours or 7 days.",
    resolve: (_root, args, ctx) => ({ span: windowSpan(args.window ?? "LAST_24H", new Date(), ctx.runtime.config.TIMEZONE), ctx }),
  }),
}));

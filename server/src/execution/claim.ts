import type { Job, JobLog } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import {
  announceSkippedOverlap,
  blockingRuns,
  isFiredRun,
  judgeFiredStart,
  markDatesCompleted,
  recordSkippedOverlap,
  snapshotOfJob,
  startPrepared,
  startPlainRuns,
  startQueued,
  withdrawFiredRun,
  EXECUTE_JOB,
  type PlainRequest,
  type PlainStart,
  type PreparedStart,
  type Start,
} from "../runs/index.ts";
import type { PreparedStarter } from "./prepared-starter.ts";

export type { PreparedStart };

/**
 * Starts the plain runs `requests` name (Run Now, retries: not fired for a slot) that are still
 * QUEUED, in one `UPDATE … RETURNING` with nothing read before it (runs/start.ts startPlainRuns):
 * the run as it now is and its job's webhook settings come back from the claim itself. The same
 * conditional update as every start (QUEUED → RUNNING), so a run another delivery took, or one
 * cancelled meanwhile, returns nothing. Fired runs are left alone (judged at their instant: claimRuns).
 *
 * `takeWaiting`: on the PostgreSQL queue, also up to that many plain runs still waiting in the
 * queue for a worker (their queue jobs removed in the same statement); ignored on MongoDB.
 */
export function claimPlainRuns(runtime: Runtime, requests: readonly PlainRequest[], workerId: string, takeWaiting = 0): Promise<PlainStart[]> {
  const take = takeWaiting > 0 && runtime.queue.backend === "postgres" ? { queueJob: EXECUTE_JOB, limit: takeWaiting } : null;
  return startPlainRuns(runtime.prisma, requests, workerId, take);
}

/**
 * The QUEUED runs among `logIds`, oldest first. Runs are queued only after their log is committed
 * (enqueue.ts), so a missing log was removed meanwhile (purged, its job deleted, or a planned slot
 * withdrawn), and one no longer QUEUED was taken, withdrawn or cancelled.
 */
export function loadQueuedRuns(runtime: Runtime, logIds: readonly number[]): Promise<JobLog[]> {
  return runtime.prisma.jobLog.findMany({ where: { id: { in: [...logIds] }, status: "QUEUED" }, orderBy: { id: "asc" } });
}

type FiredRun = JobLog & { scheduledAt: Date };

interface FiredStart extends Start {
  log: FiredRun;
  job: Job;
}

/**
 * Reads and judges, ahead of the instant (while the worker waits for it), what each run would
 * start with: the job's configuration, its version, whether the overlap rule applies. Runs whose
 * job would withdraw them are left out: the claim decides those at the instant.
 */
export async function prepareClaims(runtime: Runtime, logs: readonly JobLog[]): Promise<{ starts: Map<number, PreparedStart>; jobs: Map<string, Job> }> {
  const starts = new Map<number, PreparedStart>();
  for (const log of logs) if (!isFiredRun(log)) starts.set(log.id, { log, job: null, snapshot: null, jobVersion: null, guarded: false });
  const fired = logs.filter((log): log is FiredRun => isFiredRun(log));
  const jobs = new Map<string, Job>();
  if (fired.length === 0) return { starts, jobs };
  for (const job of await runtime.prisma.job.findMany({ where: { id: { in: [...new Set(fired.map((l) => l.jobId))] } } })) jobs.set(job.id, job);
  for (const log of fired) {
    const verdict = judgeFiredStart(jobs.get(log.jobId) ?? null, log, runtime.config.TIMEZONE);
    if (verdict.kind === "withdraw") continue;
    const job = verdict.job;
    starts.set(log.id, { log, job, snapshot: snapshotOfJob(job, log.trigger, log.scheduledAt), jobVersion: job.updatedAt, guarded: !job.allowOverlap });
  }
  return { starts, jobs };
}

/**
 * Takes QUEUED runs for this worker. The conditional update is the only way into RUNNING and so
 * the single gate to a handler, whatever the queue does: a queue job delivered twice (FerretDB's
 * non-atomic lock, an expired lock, a re-queue by a sweep or a stopping worker), to this process or
 * another, finds its runs taken and starts nothing.
 *
 * A run the dispatcher fired for a slot is decided here, at its instant (the dispatcher queued it
 * ahead): a job disabled, deleted or re-timed since withdraws it, the overlap rule may skip it (its
 * fire record says so), and it starts with the job's configuration as it is now.
 *
 * With `prepared` (prepareClaims, ahead of the instant) the runs judged ready start in one
 * statement (behind their jobs' locks in the same call when the overlap rule applies:
 * connecthub_start_guarded; with `starter`, together with other queue jobs' runs starting at the
 * same moment), each
 * only if its job is unchanged since and, where the rule applies, no other run of the job is
 * active. Whatever that leaves QUEUED (an edit, an overlap, a run not prepared) is decided run by
 * run as without it. Returns the runs that start, and the jobs read to decide fired runs (by id).
 * Once `isStopping` says so, nothing more is started (what is left stays QUEUED).
 */
export async function claimRuns(
  runtime: Runtime,
  logs: readonly JobLog[],
  workerId: string,
  queueJobId: string | null,
  prepared?: { starts: Map<number, PreparedStart>; jobs: Map<string, Job> },
  starter?: PreparedStarter,
  isStopping: () => boolean = () => false,
): Promise<{ runs: JobLog[]; jobs: Map<string, Job> }> {
  if (isStopping()) return { runs: [], jobs: prepared?.jobs ?? new Map() };
  if (!prepared) return decideAndClaim(runtime, logs, workerId, queueJobId);
  const ready = logs.map((log) => prepared.starts.get(log.id)).filter((s): s is PreparedStart => s !== undefined);
  const started = starter ? await starter.start(ready, queueJobId) : await startPrepared(runtime, ready, workerId, ready.map(() => queueJobId));
  const taken = new Set(started.map((r) => r.id));
  // A date trigger has one slot: once it ran the job never fires again.
  const dateJobs = ready.filter((s) => s.job?.triggerType === "DATE" && taken.has(s.log.id)).map((s) => s.log.jobId);
  if (dateJobs.length) await markDatesCompleted(runtime.prisma, dateJobs);
  const rest = logs.filter((log) => !taken.has(log.id));
  // A worker told to stop meanwhile starts nothing more: the rest stay QUEUED, for it to hand back.
  if (rest.length === 0 || isStopping()) return { runs: started, jobs: prepared.jobs };
  const decided = await decideAndClaim(runtime, rest, workerId, queueJobId);
  for (const [id, job] of decided.jobs) prepared.jobs.set(id, job);
  return { runs: [...started, ...decided.runs], jobs: prepared.jobs };
}

/** Every run decided at the instant from the job as it is now: the path for runs nothing was prepared for. */
async function decideAndClaim(
  runtime: Runtime,
  logs: readonly JobLog[],
  workerId: string,
  queueJobId: string | null,
): Promise<{ runs: JobLog[]; jobs: Map<string, Job> }> {
  const unguarded: Start[] = logs.filter((log) => !isFiredRun(log)).map((log) => ({ log, job: null, snapshot: null }));
  const guarded: FiredStart[] = [];
  const fired = logs.filter((log): log is FiredRun => isFiredRun(log));
  const jobById = new Map<string, Job>();
  if (fired.length) {
    const jobs = await runtime.prisma.job.findMany({ where: { id: { in: [...new Set(fired.map((l) => l.jobId))] } } });
    for (const job of jobs) jobById.set(job.id, job);
    for (const log of fired) {
      const verdict = judgeFiredStart(jobById.get(log.jobId) ?? null, log, runtime.config.TIMEZONE);
      if (verdict.kind === "withdraw") {
        await withdraw(runtime, log, verdict.reason, verdict.editedAt);
        continue;
      }
      const start = { log, job: verdict.job, snapshot: snapshotOfJob(verdict.job, log.trigger, log.scheduledAt) };
      (verdict.job.allowOverlap ? unguarded : guarded).push(start);
    }
  }

  const claimed = await startQueued(runtime.prisma, unguarded, workerId, unguarded.map(() => queueJobId));
  const skipped: Array<{ log: FiredRun; blocking: { id: number; status: string } }> = [];
  if (guarded.length) {
    const started = await runtime.prisma.$transaction(
      async (tx) => {
        const blocking = await blockingRuns(tx, guarded.map((s) => s.log));
        const free: Start[] = [];
        // Two runs of one job here (a caught-up slot and the current one): the older starts, the other is skipped.
        const startingFor = new Map<string, number>();
        const inOrder = [...guarded].sort((a, b) => a.log.scheduledAt.getTime() - b.log.scheduledAt.getTime() || a.log.id - b.log.id);
        for (const start of inOrder) {
          const starting = startingFor.get(start.log.jobId);
          const by = blocking.get(start.log.id) ?? (starting === undefined ? undefined : { id: starting, status: "RUNNING" });
          if (!by) {
            free.push(start);
            startingFor.set(start.log.jobId, start.log.id);
          } else if (await recordSkippedOverlap(tx, start.log, by)) skipped.push({ log: start.log, blocking: by });
        }
        return startQueued(tx, free, workerId, free.map(() => queueJobId));
      },
      // A burst of slots queues claims behind each other on the same job locks and the pool.
      { maxWait: 30_000, timeout: 30_000 },
    );
    claimed.push(...started);
  }

  // A date trigger has one slot: once it is decided (run or skipped) the job never fires again.
  const decided = new Set([...claimed.map((c) => c.id), ...skipped.map((k) => k.log.id)]);
  const dateJobs = [...unguarded, ...guarded].filter((s) => s.job?.triggerType === "DATE" && decided.has(s.log.id)).map((s) => s.log.jobId);
  if (dateJobs.length) await markDatesCompleted(runtime.prisma, dateJobs);

  for (const { log, blocking } of skipped) {
    logger().info({ job_id: log.jobId, scheduled_at: log.scheduledAt.toISOString(), blocking_log_id: blocking.id }, "slot skipped: previous run still active");
    await announceSkippedOverlap(runtime, log, blocking);
  }
  return { runs: claimed, jobs: jobById };
}

async function withdraw(runtime: Runtime, log: FiredRun, reason: string, editedAt: Date | null): Promise<void> {
  const how = await withdrawFiredRun(runtime, log, reason, editedAt);
  if (how) logger().info({ job_id: log.jobId, log_id: log.id, reason, how }, "queued run withdrawn at its slot");
}


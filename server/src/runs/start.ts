import { Prisma, type Job, type JobLog } from "../generated/prisma/client.ts";
import type { WebhookFormat, WebhookWhen } from "../generated/prisma/enums.ts";
import { removeQueueJobs, waitingQueueJobs } from "../queue/statement-job.ts";
import type { Prisma as PrismaClient } from "../db/prisma.ts";
import type { WebhookSettings } from "../webhooks/index.ts";
import type { Runtime } from "../runtime.ts";
import type { RunSnapshot } from "./snapshot.ts";
import { FIRED_TRIGGERS } from "./start-rules.ts";

export interface Start {
  log: JobLog;
  /** The job as it is now, for a fired run (null for a manual run or a retry). */
  job: Job | null;
  /** A fired run starts with the job's configuration as it is at the instant. */
  snapshot: RunSnapshot | null;
}

/** What a claim needs to know ahead of a run's instant: how it would start if its job stays as it is. */
export interface PreparedStart extends Start {
  /** The job's updatedAt when it was judged (fired runs): the claim starts the run only if it is unchanged. */
  jobVersion: Date | null;
  /** The overlap rule applies (a fired run of a job with allowOverlap off). */
  guarded: boolean;
}

/**
 * The runs of `ready` whose job is unchanged and (where the rule applies) not busy, started in one
 * statement, behind the advisory locks of the jobs whose runs are guarded (allowOverlap off).
 */
export async function startPrepared(runtime: Runtime, ready: readonly PreparedStart[], workerId: string, queueJobIds: readonly (string | null)[]): Promise<JobLog[]> {
  const guardedJobs = [...new Set(ready.filter((s) => s.guarded).map((s) => s.log.jobId))];
  return startBehindLocks(runtime.prisma, ready, workerId, queueJobIds, guardedJobs);
}

/**
 * QUEUED → RUNNING (with a fresh snapshot for a fired run) and, for scheduled runs, each job's
 * lastRunAt (their slot), in one statement for the whole batch: this is on every run's path to its
 * handler. A prepared start also requires its job unchanged (same updatedAt) and, when guarded, no
 * other active run of the job (the caller holds the job's lock).
 */
export function startQueued(
  db: Prisma.TransactionClient,
  batch: readonly (Start | PreparedStart)[],
  workerId: string,
  batchQueueJobIds: readonly (string | null)[],
): Promise<JobLog[]> {
  return startBehindLocks(db, batch, workerId, batchQueueJobIds, []);
}

/**
 * The start statement: connecthub_start_guarded (migration 20261129193000_start_guarded), the one
 * definition of this UPDATE. It first takes the advisory locks of `lockJobs` (none: the caller
 * holds what it needs), then updates with a snapshot taken after they were granted, so it sees every
 * run another worker started under them; one round trip, the locks held until its transaction ends.
 * lastRunAt is written there by raw SQL because a run starting is not an edit of the job
 * (`updatedAt` must not move), and only when a later slot moves it forward.
 */
async function startBehindLocks(
  db: Prisma.TransactionClient,
  batchIn: readonly (Start | PreparedStart)[],
  workerId: string,
  batchQueueJobIds: readonly (string | null)[],
  lockJobs: readonly string[],
): Promise<JobLog[]> {
  const batch = startBatch(batchIn, batchQueueJobIds);
  if (batch.starts.length === 0) return [];
  const { now, ids, snapshots, versions, guarded, queueJobIds } = batch;
  const rows = await db.$queryRaw<StartedRow[]>`
    SELECT started_id AS id, started_cancel_requested_at AS cancel_requested_at, started_queue_job_id AS queue_job_id
    FROM connecthub_start_guarded(${[...lockJobs]}::text[], ${ids}::int[], ${snapshots}::text[], ${versions}::timestamptz[],
      ${guarded}::boolean[], ${queueJobIds}::text[], ${now}::timestamptz, ${workerId}::text)`;
  return startedRuns(batch, rows, workerId);
}

type StartedRow = { id: number; cancel_requested_at: Date | null; queue_job_id: string | null };

/** A batch as the start statement takes it: each run once (the first mention wins), as parallel arrays. */
interface StartBatch {
  starts: Array<Start | PreparedStart>;
  now: Date;
  ids: number[];
  snapshots: Array<string | null>;
  versions: Array<string | null>;
  guarded: boolean[];
  queueJobIds: Array<string | null>;
}

function startBatch(batch: readonly (Start | PreparedStart)[], batchQueueJobIds: readonly (string | null)[]): StartBatch {
  // Each run once (the first mention wins), so a run named twice is started once and returned once.
  const starts: Array<Start | PreparedStart> = [];
  const queueJobIds: Array<string | null> = [];
  const seen = new Set<number>();
  batch.forEach((s, i) => {
    if (seen.has(s.log.id)) return;
    seen.add(s.log.id);
    starts.push(s);
    queueJobIds.push(batchQueueJobIds[i] ?? null);
  });
  return {
    starts,
    now: new Date(),
    ids: starts.map((s) => s.log.id),
    snapshots: starts.map((s) => (s.snapshot ? JSON.stringify(s.snapshot) : null)),
    versions: starts.map((s) => ("jobVersion" in s && s.jobVersion ? s.jobVersion.toISOString() : null)),
    guarded: starts.map((s) => "guarded" in s && s.guarded),
    queueJobIds,
  };
}

/** The started runs as the caller holds them, from the rows the statement returned (the others stay as they were). */
function startedRuns(batch: StartBatch, rows: readonly StartedRow[], workerId: string): JobLog[] {
  // Others were taken by another worker, withdrawn or cancelled meanwhile, or (prepared) changed or busy.
  const byId = new Map(batch.starts.map((s) => [s.log.id, s]));
  const now = batch.now;
  return rows.map((row) => {
    const { log, snapshot } = byId.get(row.id)!;
    return {
      ...log,
      status: "RUNNING",
      startedAt: now,
      heartbeatAt: now,
      workerId,
      queueJobId: row.queue_job_id,
      cancelRequestedAt: row.cancel_requested_at,
      snapshotParams: snapshot ? (snapshot as unknown as Prisma.JsonObject) : log.snapshotParams,
    };
  });
}


/** A plain run startPlainRuns started, with its job's webhook settings as they were at that moment (for finalizeRun). */
export interface PlainStart {
  run: JobLog;
  webhook: WebhookSettings;
}

type PlainRow = JobLog & {
  jobTimezone: string | null;
  webhookUrl: string | null;
  webhookFormat: WebhookFormat;
  webhookWhen: WebhookWhen;
  webhookSecret: string | null;
};

/** Not a run fired for a slot (those are judged at their instant: startPrepared, startQueued). */
const notFired = Prisma.sql`NOT (l.scheduled_at IS NOT NULL AND l.trigger::text = ANY(${[...FIRED_TRIGGERS]}::text[]))`;

/** A plain run a worker asks to start: the run, and the queue job that brought it (recorded on the run). */
export interface PlainRequest {
  logId: number;
  queueJobId: string | null;
}

/**
 * QUEUED → RUNNING for the plain runs (not fired for a slot) among `requests`, in one statement that
 * returns each run whole (as Prisma would read it) and its job's webhook settings: a plain run's
 * start reads nothing before or after it. Oldest first.
 *
 * `takeWaiting` (PostgreSQL queue only: `agenda_jobs` is in the same database): the same statement
 * also takes up to that many more plain runs waiting for a worker, due now, oldest first: runs
 * whose row is their own queue entry (a Run Now on this queue: QUEUED, no queue job, no slot), and runs in a
 * queue job of their own locked by no worker (a retry, a run handed back), whose queue jobs it
 * removes once their runs start. A worker with free run slots so fills them in one statement
 * instead of one queue lock, claim and removal per run. Rows and queue jobs another worker is
 * taking meanwhile are skipped (row locks); a queue job whose run does not start here stays.
 */
export async function startPlainRuns(prisma: PrismaClient, requests: readonly PlainRequest[], workerId: string, takeWaiting: { queueJob: string; limit: number } | null = null): Promise<PlainStart[]> {
  const take = takeWaiting && takeWaiting.limit > 0 ? takeWaiting : null;
  if (requests.length === 0 && !take) return [];
  const ids = requests.map((r) => r.logId);
  const queueJobIds = requests.map((r) => r.queueJobId);
  const steps: Prisma.Sql[] = [
    Prisma.sql`asked AS (SELECT * FROM unnest(${ids}::int[], ${queueJobIds}::text[]) AS a(log_id, queue_job_id))`,
    ...(take
      ? [
          // Only queue jobs whose run can start here (a cancelled or fired run's job is left to the queue).
          Prisma.sql`in_queue AS (${waitingQueueJobs(take.queueJob, take.limit, (logId) => Prisma.sql`EXISTS (SELECT 1 FROM job_logs AS l WHERE l.id = ${logId} AND l.status = 'QUEUED' AND ${notFired})`)})`,
          Prisma.sql`in_table AS (
            SELECT NULL::uuid AS id, l.id AS log_id, l.created_at AS due FROM job_logs AS l
            WHERE l.status = 'QUEUED' AND l.scheduled_at IS NULL AND l.queue_job_id IS NULL AND l.id <> ALL(${ids}::int[])
            ORDER BY l.id LIMIT ${take.limit}::int FOR UPDATE SKIP LOCKED)`,
          Prisma.sql`waiting AS (SELECT * FROM (SELECT id, log_id, due FROM in_queue UNION ALL SELECT id, log_id, due FROM in_table) AS w ORDER BY due LIMIT ${take.limit}::int)`,
        ]
      : [Prisma.sql`waiting AS (SELECT NULL::uuid AS id, NULL::int AS log_id WHERE false)`]),
    Prisma.sql`started AS (
      UPDATE job_logs AS l
      SET status = 'RUNNING', started_at = now(), heartbeat_at = now(), worker_id = ${workerId},
          -- the queue job that brought it: the worker's delivery, or the one taken from the queue here
          queue_job_id = COALESCE((SELECT a.queue_job_id FROM asked AS a WHERE a.log_id = l.id LIMIT 1),
            (SELECT w.id::text FROM waiting AS w WHERE w.log_id = l.id LIMIT 1), l.queue_job_id)
      -- Driven by the ids (the primary key), never by a scan of every QUEUED run.
      FROM (SELECT log_id FROM asked UNION SELECT log_id FROM waiting) AS t, jobs AS j
      WHERE l.id = t.log_id AND l.status = 'QUEUED' AND j.id = l.job_id AND ${notFired}
      RETURNING l.id, l.job_id AS "jobId", l.status::text AS status, l.trigger::text AS trigger, l.snapshot_params AS "snapshotParams",
        l.message, l.message_code AS "messageCode", l.message_params AS "messageParams", l.traceback, l.run_log AS "runLog",
        l.run_log_bytes AS "runLogBytes", l.result, l.attempt, l.queue_job_id AS "queueJobId", l.retry_of_id AS "retryOfId",
        l.scheduled_at AS "scheduledAt", l.started_at AS "startedAt", l.finished_at AS "finishedAt", l.heartbeat_at AS "heartbeatAt",
        l.worker_id AS "workerId", l.cancel_requested_at AS "cancelRequestedAt", l.legacy_id AS "legacyId", l.trace_id AS "traceId",
        l.created_at AS "createdAt", l.sort_at AS "sortAt",
        j.timezone AS "jobTimezone", j.webhook_url AS "webhookUrl", j.webhook_format::text AS "webhookFormat",
        j.webhook_when::text AS "webhookWhen", j.webhook_secret AS "webhookSecret")`,
  ];
  // A data-modifying step runs to completion whether or not the statement reads it.
  if (take) steps.push(Prisma.sql`removed AS (${removeQueueJobs(Prisma.sql`SELECT w.id FROM waiting AS w JOIN started AS s ON s.id = w.log_id WHERE w.id IS NOT NULL`)})`);
  const rows = await prisma.$queryRaw<PlainRow[]>`WITH ${Prisma.join(steps, ",\n")} SELECT * FROM started`;
  return rows
    .sort((a, b) => a.id - b.id)
    .map(({ jobTimezone, webhookUrl, webhookFormat, webhookWhen, webhookSecret, ...run }) => ({
      run,
      webhook: { timezone: jobTimezone, webhookUrl, webhookFormat, webhookWhen, webhookSecret },
    }));
}

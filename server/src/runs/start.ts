import type { Job, JobLog, Prisma } from "../generated/prisma/client.ts";
import type { WebhookFormat, WebhookWhen } from "../generated/prisma/enums.ts";
import type { Prisma as PrismaClient } from "../db/prisma.ts";
import type { WebhookSettings } from "../webhooks/index.ts";
import type { Runtime } from "../runtime.ts";
import type { RunSnapshot } from "./snapshot.ts";
import { lockJobs } from "./start-rules.ts";

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
 * statement. With guarded runs (allowOverlap off) that statement is connecthub_start_guarded
 * (migration 20261129193000_start_guarded), this file's UPDATE behind the jobs' advisory locks:
 * one round trip, its own implicit transaction, the locks held until it commits, and the UPDATE's
 * snapshot taken after they were granted (so it sees every run another worker started under them).
 */
export async function startPrepared(runtime: Runtime, ready: readonly PreparedStart[], workerId: string, queueJobIds: readonly (string | null)[]): Promise<JobLog[]> {
  if (ready.length === 0) return [];
  const guardedJobs = [...new Set(ready.filter((s) => s.guarded).map((s) => s.log.jobId))];
  if (guardedJobs.length === 0) return startQueued(runtime.prisma, ready, workerId, queueJobIds);
  const batch = startBatch(ready, queueJobIds);
  if (batch.starts.length === 0) return [];
  const { now, ids, snapshots, versions, guarded, queueJobIds: queued } = batch;
  const rows = await runtime.prisma.$queryRaw<StartedRow[]>`
    SELECT started_id AS id, started_cancel_requested_at AS cancel_requested_at, started_queue_job_id AS queue_job_id
    FROM connecthub_start_guarded(${guardedJobs}::text[], ${ids}::int[], ${snapshots}::text[], ${versions}::timestamptz[],
      ${guarded}::boolean[], ${queued}::text[], ${now}::timestamptz, ${workerId}::text)`;
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

/**
 * QUEUED → RUNNING (with a fresh snapshot for a fired run) and, for scheduled runs, each job's
 * lastRunAt (their slot), in one statement for the whole batch: this is on every run's path to its handler. A prepared start also
 * requires its job unchanged (same updatedAt) and, when guarded, no other active run of the job
 * (the caller holds the job's lock; this statement's snapshot is taken after it was granted).
 */
export async function startQueued(
  db: Prisma.TransactionClient,
  batchIn: readonly (Start | PreparedStart)[],
  workerId: string,
  batchQueueJobIds: readonly (string | null)[],
): Promise<JobLog[]> {
  const batch = startBatch(batchIn, batchQueueJobIds);
  if (batch.starts.length === 0) return [];
  const { now, ids, snapshots, versions, guarded, queueJobIds } = batch;
  // lastRunAt by raw SQL: a run starting is not an edit of the job, so `updatedAt` must not move;
  // only a later slot moves it (never backwards, and no write when it stays).
  const rows = await db.$queryRaw<StartedRow[]>`
    WITH batch AS (
      SELECT * FROM unnest(${ids}::int[], ${snapshots}::text[], ${versions}::timestamptz[], ${guarded}::boolean[], ${[...queueJobIds]}::text[])
        AS b(id, snapshot, job_version, guarded, queue_job_id)
    ), claimed AS (
      UPDATE job_logs AS l
      SET status = 'RUNNING', started_at = ${now}, heartbeat_at = ${now}, worker_id = ${workerId},
          queue_job_id = COALESCE(batch.queue_job_id, l.queue_job_id),
          snapshot_params = COALESCE(batch.snapshot::jsonb, l.snapshot_params)
      FROM batch
      WHERE l.id = batch.id AND l.status = 'QUEUED'
        AND (batch.job_version IS NULL OR EXISTS (SELECT 1 FROM jobs AS j WHERE j.id = l.job_id AND j.updated_at = batch.job_version))
        AND (NOT batch.guarded OR (
          NOT EXISTS (SELECT 1 FROM job_logs AS b WHERE b.job_id = l.job_id AND b.id <> l.id AND b.status = 'RUNNING')
          -- Two runs of one job in this batch: only the first (oldest slot) may start now.
          AND NOT EXISTS (
            SELECT 1 FROM batch AS o JOIN job_logs AS ol ON ol.id = o.id
            WHERE ol.job_id = l.job_id AND ol.id <> l.id AND ol.status = 'QUEUED'
              AND (COALESCE(ol.scheduled_at, '-infinity'), ol.id) < (COALESCE(l.scheduled_at, '-infinity'), l.id))))
      RETURNING l.id, l.job_id, l.cancel_requested_at, l.queue_job_id, l.trigger, l.scheduled_at
    ), slots AS (
      -- lastRunAt is the newest scheduled slot that started: manual runs and retries leave it alone.
      SELECT job_id, max(scheduled_at) AS slot FROM claimed
      WHERE trigger::text IN ('CRON', 'INTERVAL', 'DATE', 'CATCHUP') AND scheduled_at IS NOT NULL GROUP BY job_id
    ), touched AS (
      -- Only where it moves forward: a row written for nothing is WAL and a dead tuple on a hot row.
      UPDATE jobs SET last_run_at = slots.slot FROM slots
      WHERE jobs.id = slots.job_id AND (jobs.last_run_at IS NULL OR jobs.last_run_at < slots.slot)
    )
    SELECT id, cancel_requested_at, queue_job_id FROM claimed`;
  return startedRuns(batch, rows, workerId);
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

/**
 * QUEUED → RUNNING for the plain runs (not fired for a slot) among `logIds`, in one statement that
 * returns each run whole (as Prisma would read it) and its job's webhook settings: a plain run's
 * start reads nothing before or after it. Oldest first.
 */
export async function startPlainRuns(prisma: PrismaClient, logIds: readonly number[], workerId: string, queueJobId: string | null): Promise<PlainStart[]> {
  if (logIds.length === 0) return [];
  const rows = await prisma.$queryRaw<PlainRow[]>`
    UPDATE job_logs AS l
    SET status = 'RUNNING', started_at = now(), heartbeat_at = now(), worker_id = ${workerId},
        queue_job_id = COALESCE(${queueJobId}::text, l.queue_job_id)
    FROM jobs AS j
    WHERE l.id = ANY(${[...logIds]}::int[]) AND l.status = 'QUEUED' AND j.id = l.job_id
      AND NOT (l.scheduled_at IS NOT NULL AND l.trigger::text IN ('CRON', 'INTERVAL', 'DATE', 'CATCHUP'))
    RETURNING l.id, l.job_id AS "jobId", l.status::text AS status, l.trigger::text AS trigger, l.snapshot_params AS "snapshotParams",
      l.message, l.message_code AS "messageCode", l.message_params AS "messageParams", l.traceback, l.run_log AS "runLog",
      l.run_log_bytes AS "runLogBytes", l.result, l.attempt, l.queue_job_id AS "queueJobId", l.retry_of_id AS "retryOfId",
      l.scheduled_at AS "scheduledAt", l.started_at AS "startedAt", l.finished_at AS "finishedAt", l.heartbeat_at AS "heartbeatAt",
      l.worker_id AS "workerId", l.cancel_requested_at AS "cancelRequestedAt", l.legacy_id AS "legacyId", l.trace_id AS "traceId",
      l.created_at AS "createdAt", l.sort_at AS "sortAt",
      j.timezone AS "jobTimezone", j.webhook_url AS "webhookUrl", j.webhook_format::text AS "webhookFormat",
      j.webhook_when::text AS "webhookWhen", j.webhook_secret AS "webhookSecret"`;
  return rows
    .sort((a, b) => a.id - b.id)
    .map(({ jobTimezone, webhookUrl, webhookFormat, webhookWhen, webhookSecret, ...run }) => ({
      run,
      webhook: { timezone: jobTimezone, webhookUrl, webhookFormat, webhookWhen, webhookSecret },
    }));
}

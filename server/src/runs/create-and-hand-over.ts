import { auditRowOf, type AuditEntry } from "../audit/index.ts";
import { Prisma, type JobLog } from "../generated/prisma/client.ts";
import type { RunTrigger } from "../generated/prisma/enums.ts";
import { insertStatementJob, statementJob } from "../queue/statement-job.ts";
import { QUEUE_WAKE_TOPIC, statementWake } from "../queue/wake-channel.ts";
import type { Runtime } from "../runtime.ts";
import { EXECUTE_JOB, EXECUTE_RUNS, runsJobDueAt } from "./queue-jobs.ts";
import { isFiredRun } from "./start-rules.ts";

/** Every column of `job_logs` under its model field's name, so a raw statement returns a `JobLog`. */
const LOG_FIELDS = Prisma.raw(
  [
    "id",
    `job_id AS "jobId"`,
    "status::text AS status",
    "trigger::text AS trigger",
    `snapshot_params AS "snapshotParams"`,
    "message",
    `message_code AS "messageCode"`,
    `message_params AS "messageParams"`,
    "traceback",
    `run_log AS "runLog"`,
    `run_log_bytes AS "runLogBytes"`,
    "result",
    "attempt",
    `queue_job_id AS "queueJobId"`,
    `retry_of_id AS "retryOfId"`,
    `scheduled_at AS "scheduledAt"`,
    `started_at AS "startedAt"`,
    `finished_at AS "finishedAt"`,
    `heartbeat_at AS "heartbeatAt"`,
    `worker_id AS "workerId"`,
    `cancel_requested_at AS "cancelRequestedAt"`,
    `legacy_id AS "legacyId"`,
    `trace_id AS "traceId"`,
    `created_at AS "createdAt"`,
    `sort_at AS "sortAt"`,
  ].join(", "),
);

export interface PlainRun {
  jobId: string;
  trigger: RunTrigger;
  scheduledAt?: Date | null;
}

export type CreatedRun =
  /** The run is recorded and handed over (when `queued`), its events sent, its audit row stored. */
  | { kind: "created"; log: JobLog; queued: boolean }
  | { kind: "not-found" }
  /** This store cannot take it in one statement (no PostgreSQL event transport). */
  | { kind: "unsupported" };

/**
 * A plain run (Run Now) in one statement, one round trip: the run row built from the job's row
 * (its snapshot in SQL, equal to `snapshotOfJob`'s: create-and-hand-over.test.ts holds them
 * equal), its audit row (the action's SUCCESS, detail `{ logId }`), and its QUEUED event as a
 * NOTIFY; on the PostgreSQL queue also the workers' wake-up. There the run's row is its own queue
 * entry (QUEUED, no queue job): a woken worker's claim takes it (startPlainRuns's takeWaiting),
 * and nothing else is written for it. A run asked for a slot ahead also gets a queue job due at
 * that slot (its id in `queue_job_id`, both or neither). A single statement is one transaction:
 * PostgreSQL delivers its NOTIFYs at the commit, so the QUEUED event is out before any worker can
 * see the run (and so before its RUNNING), and the audit row exists exactly when the run does.
 *
 * On the MongoDB queue the run is handed over after this statement (`queued: false`).
 */
export async function createAndHandOver(runtime: Runtime, request: PlainRun, audit: AuditEntry | null): Promise<CreatedRun> {
  const now = new Date();
  const scheduledAt = request.scheduledAt ?? null;
  const queuedEvent = runtime.events.inStatement("jobLog.status", { logId: 0, jobId: request.jobId, status: "QUEUED", at: now.toISOString(), message: null });
  if (!queuedEvent) return { kind: "unsupported" };
  const ahead = scheduledAt && scheduledAt > now ? scheduledAt : null;
  // Due now on the PostgreSQL queue: the row is the queue entry, and only the wake-up goes out.
  const rowIsEntry = !ahead && runtime.queue.backend === "postgres";
  const job = ahead ? statementJob(runtime.queue, EXECUTE_JOB, ahead) : null;
  const wake = job
    ? runtime.events.inStatement(QUEUE_WAKE_TOPIC, statementWake(job.id, job.name, job.nextRunAt))
    : rowIsEntry
      ? runtime.events.inStatement(QUEUE_WAKE_TOPIC, statementWake("", EXECUTE_JOB, null))
      : null;
  const auditRow = audit ? auditRowOf(audit) : null;

  const steps: Prisma.Sql[] = [
    Prisma.sql`log AS (
      INSERT INTO job_logs (job_id, trigger, scheduled_at, snapshot_params, queue_job_id)
      SELECT j.id, ${request.trigger}::text::"RunTrigger", ${scheduledAt}::timestamptz,
        jsonb_build_object(
          'handler_path', j.handler_path,
          'public_cfg', CASE WHEN jsonb_typeof(j.public_cfg) = 'object' THEN j.public_cfg ELSE '{}'::jsonb END,
          'secret_cfg', j.secret_cfg,
          'meta', jsonb_build_object(
            'job_id', j.id, 'trigger', ${request.trigger}::text, 'scheduled_at', ${scheduledAt?.toISOString() ?? null}::text,
            'retry_of', NULL, 'timezone', j.timezone, 'timeout_seconds', j.timeout_seconds)),
        ${job?.id ?? null}::text
      FROM jobs AS j WHERE j.id = ${request.jobId}
      RETURNING *)`,
  ];
  if (job) steps.push(Prisma.sql`queued AS (${insertStatementJob(job, Prisma.sql`jsonb_build_object('logId', log.id)`, Prisma.sql`log`)} RETURNING id)`);
  if (auditRow) {
    steps.push(Prisma.sql`audited AS (
      INSERT INTO audit_events (actor_kind, actor, action, target_type, target_id, outcome, detail, address, user_agent, trace_id)
      SELECT ${auditRow.actorKind}, ${auditRow.actor}, ${auditRow.action}, ${auditRow.targetType ?? null}::text, ${auditRow.targetId ?? null}::text,
        ${auditRow.outcome}, jsonb_build_object('logId', log.id), ${auditRow.address ?? null}::text, ${auditRow.userAgent ?? null}::text, log.trace_id
      FROM log RETURNING id)`);
  }
  // Referenced below, so it is evaluated (a CTE that only reads runs only when used); no row, no NOTIFY.
  const logIdPath = [...queuedEvent.payloadPath, "logId"];
  steps.push(Prisma.sql`notified AS (
    SELECT pg_notify(${queuedEvent.channel}, jsonb_set(${queuedEvent.message}::jsonb, ${logIdPath}::text[], to_jsonb(log.id))::text)
      ${wake ? Prisma.sql`, pg_notify(${wake.channel}, ${wake.message})` : Prisma.empty}
    FROM log${job ? Prisma.sql`, queued` : Prisma.empty}
    ${auditRow ? Prisma.sql`, audited` : Prisma.empty})`);

  const rows = await runtime.prisma.$queryRaw<(JobLog & { notified: bigint })[]>`
    WITH ${Prisma.join(steps, ",\n")}
    SELECT ${LOG_FIELDS}, (SELECT count(*) FROM notified) AS notified FROM log`;
  const row = rows[0];
  if (!row) return { kind: "not-found" };
  const { notified: _notified, ...log } = row;
  return { kind: "created", log: log as JobLog, queued: job !== null || rowIsEntry };
}

/**
 * Hands a committed QUEUED run (a retry, a dispatcher's fire) to the PostgreSQL queue in one
 * statement: `queue_job_id` set if the run still has none, the queue job inserted only then (no
 * duplicate for a run handed over meanwhile), the QUEUED event and the wake-up as NOTIFYs
 * delivered at the commit, before any worker can see the queue job. Returns the queue job id (null
 * when the run had one already), or "unsupported" on another queue or event transport.
 */
export async function handOverInStatement(runtime: Runtime, log: Pick<JobLog, "id" | "jobId" | "trigger" | "scheduledAt">): Promise<{ queueJobId: string | null } | "unsupported"> {
  const now = new Date();
  const queuedEvent = runtime.events.inStatement("jobLog.status", { logId: log.id, jobId: log.jobId, status: "QUEUED", at: now.toISOString(), message: null });
  // A fired run for a slot ahead goes as a group of one, due RUNS_LEAD_MS before it, as the dispatcher's groups.
  const ahead = log.scheduledAt && log.scheduledAt > now ? log.scheduledAt : null;
  const group = ahead !== null && isFiredRun(log);
  const job = group
    ? statementJob(runtime.queue, EXECUTE_RUNS, runsJobDueAt(ahead, now.getTime()) ?? now)
    : statementJob(runtime.queue, EXECUTE_JOB, ahead ?? now);
  const data = group ? Prisma.sql`jsonb_build_object('logIds', jsonb_build_array(handed.id))` : Prisma.sql`jsonb_build_object('logId', handed.id)`;
  const wake = job ? runtime.events.inStatement(QUEUE_WAKE_TOPIC, statementWake(job.id, job.name, job.nextRunAt)) : null;
  if (!queuedEvent || !job || !wake) return "unsupported";
  const rows = await runtime.prisma.$queryRaw<{ handed: bigint }[]>`
    WITH handed AS (
      UPDATE job_logs SET queue_job_id = ${job.id} WHERE id = ${log.id} AND queue_job_id IS NULL RETURNING id
    ), queued AS (${insertStatementJob(job, data, Prisma.sql`handed`)} RETURNING id)
    SELECT (SELECT count(pg_notify(${queuedEvent.channel}, ${queuedEvent.message}))) + (SELECT count(pg_notify(${wake.channel}, ${wake.message})) FROM queued) AS handed`;
  return { queueJobId: Number(rows[0]?.handed ?? 0) === 2 ? job.id : null };
}

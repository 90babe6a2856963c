import { randomUUID } from "node:crypto";
import { Prisma } from "../generated/prisma/client.ts";
import type { Queue } from "./queue.ts";

/**
 * A queue job that a statement of ours inserts together with the rows it belongs to (PostgreSQL
 * backend, whose `agenda_jobs` table lives in the same database): the row is what Agenda's own
 * save writes for `agenda.now()` / `agenda.schedule()` (type 'normal', the definition's priority,
 * this instance as last modifier), its id chosen here so the statement can record it elsewhere too.
 */
export interface StatementJob {
  id: string;
  name: string;
  priority: number;
  nextRunAt: Date;
  lastModifiedBy: string | null;
}

/** The queue job to insert in a statement, or null when the queue's store is not PostgreSQL. */
export function statementJob(queue: Queue, name: string, nextRunAt: Date): StatementJob | null {
  if (queue.backend !== "postgres") return null;
  const { agenda } = queue;
  return { id: randomUUID(), name, priority: agenda.definitions[name]?.priority ?? 0, nextRunAt, lastModifiedBy: agenda.attrs.name || null };
}

/** `INSERT INTO agenda_jobs … SELECT … FROM <from>`: one queue job per row of `from`, its data `data`. */
export function insertStatementJob(job: StatementJob, data: Prisma.Sql, from: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`INSERT INTO agenda_jobs (id, name, priority, next_run_at, type, data, disabled, fork, last_modified_by)
    SELECT ${job.id}::uuid, ${job.name}::text, ${job.priority}::int, ${job.nextRunAt}::timestamptz, 'normal', ${data}, false, false, ${job.lastModifiedBy}::text
    FROM ${from}`;
}

/**
 * `SELECT id, log_id, due FROM agenda_jobs …`: up to `limit` queue jobs named `name` that carry one
 * run (`data.logId`) for which `runWaits(<that run's id>)` holds, are due now and locked by no
 * worker, oldest first, row-locked for the statement that reads them. FOR UPDATE SKIP LOCKED on
 * both sides: Agenda's lock query skips the jobs a statement holds, and the statement skips the
 * ones Agenda is locking; a job Agenda locked first no longer has `locked_at IS NULL` when its row
 * is re-checked, and is left out.
 */
export function waitingQueueJobs(name: string, limit: number, runWaits: (logId: Prisma.Sql) => Prisma.Sql): Prisma.Sql {
  return Prisma.sql`SELECT id, (data ->> 'logId')::int AS log_id, next_run_at AS due FROM agenda_jobs
    WHERE name = ${name}::text AND locked_at IS NULL AND disabled = FALSE AND next_run_at <= now()
      AND jsonb_typeof(data -> 'logId') = 'number' AND ${runWaits(Prisma.sql`(agenda_jobs.data ->> 'logId')::int`)}
    ORDER BY next_run_at, priority DESC
    LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`;
}

/** `DELETE FROM agenda_jobs …`: the queue jobs whose ids `ids` (a query) selects. */
export function removeQueueJobs(ids: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`DELETE FROM agenda_jobs WHERE id IN (${ids}) RETURNING id`;
}

import type { Collection, Document } from "mongodb";
import type pg from "pg";

/**
 * What to add to which queue job: one named `name`, due exactly at `dueAt`, that no worker has
 * locked yet, whose `data[field]` array still has room for `values` within `max` entries.
 */
export interface AppendRequest {
  name: string;
  dueAt: Date;
  field: string;
  values: readonly number[];
  max: number;
}

/** Returns the id of the queue job `values` were appended to, or null when none qualified. */
export type AppendToWaitingJob = (request: AppendRequest) => Promise<string | null>;

/**
 * One statement. The row lock taken by the UPDATE orders it with a worker's lock query (which skips
 * rows locked by others, FOR UPDATE SKIP LOCKED): if the worker locked the job first, `locked_at IS
 * NULL` no longer holds when the UPDATE re-checks the row and nothing is appended; if the append
 * came first, the worker reads the job with the appended values.
 */
export function appendOnPostgres(pool: pg.Pool): AppendToWaitingJob {
  return async ({ name, dueAt, field, values, max }) => {
    const { rows } = await pool.query<{ id: string }>(
      `UPDATE agenda_jobs SET data = jsonb_set(data, ARRAY[$3::text], (data -> $3::text) || $4::jsonb)
       WHERE id = (
         SELECT id FROM agenda_jobs
         WHERE name = $1 AND next_run_at = $2 AND locked_at IS NULL AND disabled IS NOT TRUE
           AND jsonb_typeof(data -> $3::text) = 'array' AND jsonb_array_length(data -> $3::text) + $5::int <= $6::int
         LIMIT 1 FOR UPDATE SKIP LOCKED)
       AND locked_at IS NULL
       RETURNING id`,
      [name, dueAt, field, JSON.stringify(values), values.length, max],
    );
    return rows[0]?.id ?? null;
  };
}

/**
 * Optimistic: the update names the array as it was read, so a worker locking the job (lockedAt set)
 * or another append in between makes it match nothing; then the next candidate is tried. Plain
 * equality filters and $set only: FerretDB serves them.
 */
export function appendOnMongo(collection: () => Collection<Document>): AppendToWaitingJob {
  return async ({ name, dueAt, field, values, max }) => {
    const candidates = await collection()
      .find({ name, nextRunAt: dueAt, lockedAt: null, disabled: { $ne: true } }, { projection: { _id: 1, data: 1 } })
      .limit(5)
      .toArray();
    for (const job of candidates) {
      const current: unknown = (job.data as Record<string, unknown> | undefined)?.[field];
      if (!Array.isArray(current) || current.length + values.length > max) continue;
      const path = `data.${field}`;
      const { modifiedCount } = await collection().updateOne({ _id: job._id, lockedAt: null, [path]: current }, { $set: { [path]: [...current, ...values] } });
      if (modifiedCount === 1) return String(job._id);
    }
    return null;
  };
}

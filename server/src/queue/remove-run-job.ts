import { type Collection, type Document, ObjectId } from "mongodb";
import type pg from "pg";

/**
 * Removes queue job `queueJobId` if run `logId` is all it carries (`data.logId`, or `data.logIds`
 * holding that run alone); true when it did. A group with other runs stays: its worker finds the
 * removed run no longer QUEUED and skips it, and the others still start from it.
 */
export type RemoveRunJob = (queueJobId: string, logId: number) => Promise<boolean>;

export function removeOnPostgres(pool: pg.Pool): RemoveRunJob {
  return async (queueJobId, logId) => {
    const { rowCount } = await pool.query(
      `DELETE FROM agenda_jobs WHERE id = $1::uuid
         AND (data -> 'logIds' IS NULL OR data -> 'logIds' = jsonb_build_array($2::int))`,
      [queueJobId, logId],
    );
    return rowCount === 1;
  };
}

/** Plain equality filters (FerretDB serves them): a single run's job, then a group of that run alone. */
export function removeOnMongo(collection: () => Collection<Document>): RemoveRunJob {
  return async (queueJobId, logId) => {
    const _id = new ObjectId(queueJobId);
    const single = await collection().deleteOne({ _id, "data.logId": logId });
    if (single.deletedCount === 1) return true;
    const group = await collection().deleteOne({ _id, "data.logIds": [logId] });
    return group.deletedCount === 1;
  };
}

import type { RunMessage } from "./run-messages.ts";
import { ACTIVE_STATUSES } from "./status.ts";

/** What closeInFlightRuns needs of a connection: a pg client inside the caller's transaction. */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }>;
}

/**
 * QUEUED/RUNNING → ABANDONED for every run of a database just copied in (a restore, and the
 * embedded PGlite → PostgreSQL carry-over, which has the same statement in db/embedded because db/
 * is below runs/): those runs were in flight in another installation and no worker holds them.
 * Not finalized: no app is serving this database yet (no event bus), and notifying a past run's end
 * from a restore would report something that did not happen now. Returns how many were closed.
 */
export async function closeInFlightRuns(client: SqlClient, why: RunMessage): Promise<number> {
  // The text is appended to any message the run had; the code and parameters say why it was closed.
  const closed = await client.query(
    `UPDATE job_logs SET status = 'ABANDONED', finished_at = COALESCE(finished_at, now()),
       message = COALESCE(message || E'\\n', '') || $1, message_code = $3, message_params = $4::jsonb
     WHERE status::text = ANY($2::text[])`,
    [why.text, [...ACTIVE_STATUSES], why.code, JSON.stringify(why.params)],
  );
  return closed.rowCount ?? 0;
}

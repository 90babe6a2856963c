-- The guarded start (issue 15): server/src/runs/start.ts's statement for prepared runs of jobs
-- with allowOverlap off, in one round trip. runs/ stays the only writer of job_logs: this function
-- is called only from runs/start.ts (startPrepared) and is that file's UPDATE, moved here so the
-- lock and the update share one call.
--
-- It takes the jobs' advisory locks (in one order, so two workers' batches never deadlock; held to
-- the end of the caller's transaction), then runs the same UPDATE as startQueued. The function is
-- VOLATILE, so under READ COMMITTED its UPDATE takes a fresh snapshot after the locks were granted
-- and sees every run another worker committed under the same lock (the overlap check).
CREATE FUNCTION connecthub_start_guarded(
    p_lock_jobs TEXT[],
    p_ids INTEGER[],
    p_snapshots TEXT[],
    p_versions TIMESTAMPTZ[],
    p_guarded BOOLEAN[],
    p_queue_job_ids TEXT[],
    p_now TIMESTAMPTZ,
    p_worker_id TEXT
) RETURNS TABLE (started_id INTEGER, started_cancel_requested_at TIMESTAMPTZ(3), started_queue_job_id TEXT)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(k)
    FROM (SELECT DISTINCT hashtext('connecthub.job:' || j) AS k FROM unnest(p_lock_jobs) AS j ORDER BY k) AS keys;

    RETURN QUERY
    WITH batch AS (
      SELECT * FROM unnest(p_ids, p_snapshots, p_versions, p_guarded, p_queue_job_ids)
        AS b(id, snapshot, job_version, guarded, queue_job_id)
    ), claimed AS (
      UPDATE job_logs AS l
      SET status = 'RUNNING', started_at = p_now, heartbeat_at = p_now, worker_id = p_worker_id,
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
      SELECT c.job_id, max(c.scheduled_at) AS slot FROM claimed AS c
      WHERE c.trigger::text IN ('CRON', 'INTERVAL', 'DATE', 'CATCHUP') AND c.scheduled_at IS NOT NULL GROUP BY c.job_id
    ), touched AS (
      -- Only where it moves forward (a row written for nothing is WAL and a dead tuple on a hot row);
      -- a run starting is not an edit of the job, so updated_at stays.
      UPDATE jobs SET last_run_at = slots.slot FROM slots
      WHERE jobs.id = slots.job_id AND (jobs.last_run_at IS NULL OR jobs.last_run_at < slots.slot)
    )
    SELECT c.id, c.cancel_requested_at, c.queue_job_id FROM claimed AS c;
END;
$$;

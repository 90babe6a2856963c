-- Plain runs waiting for a worker with no queue job: on the PostgreSQL queue a Run Now's row is its
-- own queue entry, and a worker's claim takes the oldest of them (server/src/runs/start.ts,
-- startPlainRuns's takeWaiting). Ordered by id and holding only rows that wait, so that claim reads
-- a few entries from the front, never every QUEUED run behind it: with the (status, id) index the
-- planner sorted all QUEUED runs for each claim, and a drain of 5,000 cost O(n²).
-- Not declarable in prisma/schema.prisma (partial index); kept here only.
CREATE INDEX "job_logs_waiting_id_idx" ON "job_logs" ("id") WHERE "status" = 'QUEUED' AND "queue_job_id" IS NULL;

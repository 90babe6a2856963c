-- Plain runs waiting for a worker in the table itself: on the PostgreSQL queue a Run Now's row is its
-- own queue entry (QUEUED, no queue job, no slot), and a worker's claim takes the oldest of them
-- (server/src/runs/start.ts, startPlainRuns's takeWaiting). Ordered by id and holding only QUEUED
-- runs without a slot, so that claim reads a few entries from the front, never every QUEUED run:
-- with the (status, id) index the planner sorted all QUEUED runs for each claim, and a drain of
-- 5,000 cost O(n²). queue_job_id is left out of the predicate on purpose: a column an index's
-- predicate names counts as indexed, and the dispatcher's update that records a fired run's queue
-- job would no longer be a HOT update. Fired runs (they have a slot) never enter this index.
-- Not declarable in prisma/schema.prisma (partial index); kept here only.
CREATE INDEX "job_logs_waiting_id_idx" ON "job_logs" ("id") WHERE "status" = 'QUEUED' AND "scheduled_at" IS NULL;

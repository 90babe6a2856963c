-- Worker presence (issue 13, item 10): one row per live worker process, written only by
-- server/src/workers/. Refreshed every heartbeat_seconds; a row older than three of them is a
-- worker that is gone (the dashboard does not count it and the next live worker's beat deletes it).
CREATE TABLE "worker_presence" (
    "worker_id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_seconds" INTEGER NOT NULL,
    "run_slots" INTEGER NOT NULL,
    "runs_in_flight" INTEGER NOT NULL DEFAULT 0,
    "stopping_since" TIMESTAMPTZ(3),

    CONSTRAINT "worker_presence_pkey" PRIMARY KEY ("worker_id")
);

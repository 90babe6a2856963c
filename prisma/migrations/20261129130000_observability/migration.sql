-- Observability and governance (issue 14): token scopes (metrics), the audit log, run trace ids,
-- per-job run retention.

ALTER TABLE "api_tokens" ADD COLUMN "scopes" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- Every new run gets a random W3C trace id (32 hex digits) whichever path inserts it; runs from
-- before this migration keep none (a volatile default on ADD COLUMN would rewrite the table).
ALTER TABLE "job_logs" ADD COLUMN "trace_id" TEXT;
ALTER TABLE "job_logs" ALTER COLUMN "trace_id" SET DEFAULT replace(gen_random_uuid()::text, '-', '');

ALTER TABLE "jobs" ADD COLUMN "keep_last_runs" INTEGER;

CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "outcome" TEXT NOT NULL,
    "detail" JSONB,
    "address" TEXT,
    "user_agent" TEXT,
    "trace_id" TEXT,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "audit_events_at_idx" ON "audit_events"("at" DESC);
CREATE INDEX "audit_events_action_at_idx" ON "audit_events"("action", "at" DESC);
CREATE INDEX "audit_events_target_type_target_id_idx" ON "audit_events"("target_type", "target_id");

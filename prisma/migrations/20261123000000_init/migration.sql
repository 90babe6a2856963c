-- ConnectHub initial schema. Written by hand in Prisma's layout: `prisma migrate` needs a
-- schema-engine binary these machines cannot download. test/db/schema-matches-prisma.test.ts
-- proves the result matches prisma/schema.prisma.

CREATE TYPE "TriggerType" AS ENUM ('CRON', 'INTERVAL', 'DATE');
CREATE TYPE "JobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCESS', 'FAILURE', 'CANCELLED', 'ABANDONED');
CREATE TYPE "RunTrigger" AS ENUM ('CRON', 'INTERVAL', 'DATE', 'MANUAL', 'RETRY', 'CATCHUP');
CREATE TYPE "WebhookFormat" AS ENUM ('JSON', 'DINGTALK', 'WECOM', 'FEISHU');
CREATE TYPE "WebhookWhen" AS ENUM ('FAILURE', 'ALWAYS');
CREATE TYPE "FireOutcome" AS ENUM ('FIRED', 'CATCHUP', 'SKIPPED_MISFIRE', 'SKIPPED_OVERLAP');
CREATE TYPE "Role" AS ENUM ('VIEWER', 'OPERATOR', 'ADMIN');

CREATE TABLE "jobs" (
    "id" TEXT NOT NULL,
    "description" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "trigger_type" "TriggerType" NOT NULL DEFAULT 'CRON',
    "cron_expr" TEXT,
    "interval_seconds" INTEGER,
    "start_at" TIMESTAMPTZ(3),
    "timezone" TEXT,
    "handler_path" TEXT NOT NULL,
    "public_cfg" JSONB NOT NULL DEFAULT '{}',
    "secret_cfg" TEXT,
    "last_run_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "timeout_seconds" INTEGER,
    "allow_overlap" BOOLEAN NOT NULL DEFAULT false,
    "misfire_grace_seconds" INTEGER NOT NULL DEFAULT 300,
    "webhook_url" TEXT,
    "webhook_format" "WebhookFormat" NOT NULL DEFAULT 'JSON',
    "webhook_when" "WebhookWhen" NOT NULL DEFAULT 'FAILURE',
    "webhook_secret" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "job_logs" (
    "id" SERIAL NOT NULL,
    "job_id" TEXT NOT NULL,
    "status" "JobStatus" NOT NULL DEFAULT 'QUEUED',
    "trigger" "RunTrigger" NOT NULL,
    "snapshot_params" JSONB NOT NULL,
    "message" TEXT,
    "traceback" TEXT,
    "run_log" TEXT NOT NULL DEFAULT '',
    "run_log_bytes" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "queue_job_id" TEXT,
    "retry_of_id" INTEGER,
    "scheduled_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "worker_id" TEXT,
    "cancel_requested_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_logs_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "fire_records" (
    "job_id" TEXT NOT NULL,
    "scheduled_at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" "FireOutcome" NOT NULL,
    "log_id" INTEGER,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fire_records_pkey" PRIMARY KEY ("job_id","scheduled_at")
);

CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'VIEWER',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "user_id" INTEGER NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "api_tokens" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "jobs_enabled_idx" ON "jobs"("enabled");
CREATE INDEX "job_logs_job_id_id_idx" ON "job_logs"("job_id", "id" DESC);
CREATE INDEX "job_logs_status_id_idx" ON "job_logs"("status", "id" DESC);
CREATE INDEX "job_logs_created_at_idx" ON "job_logs"("created_at" DESC);
CREATE INDEX "fire_records_outcome_created_at_idx" ON "fire_records"("outcome", "created_at" DESC);
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

ALTER TABLE "job_logs" ADD CONSTRAINT "job_logs_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "job_logs" ADD CONSTRAINT "job_logs_retry_of_id_fkey" FOREIGN KEY ("retry_of_id") REFERENCES "job_logs"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "fire_records" ADD CONSTRAINT "fire_records_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Runs are listed by the time that matters: a scheduled run by its slot, any other by its creation.
-- A catch-up run created late for an early slot sorts by that slot, not above later slots.
-- Kept by a trigger rather than GENERATED so that restores and imports naming every column work.
ALTER TABLE "job_logs" ADD COLUMN "sort_at" TIMESTAMPTZ(3);
UPDATE "job_logs" SET "sort_at" = COALESCE("scheduled_at", "created_at");
ALTER TABLE "job_logs" ALTER COLUMN "sort_at" SET NOT NULL, ALTER COLUMN "sort_at" SET DEFAULT CURRENT_TIMESTAMP;

CREATE FUNCTION "job_logs_set_sort_at"() RETURNS TRIGGER AS $$
BEGIN
  NEW."sort_at" := COALESCE(NEW."scheduled_at", NEW."created_at");
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "job_logs_sort_at" BEFORE INSERT OR UPDATE OF "scheduled_at", "created_at", "sort_at" ON "job_logs"
  FOR EACH ROW EXECUTE FUNCTION "job_logs_set_sort_at"();

CREATE INDEX "job_logs_sort_at_id_idx" ON "job_logs"("sort_at" DESC, "id" DESC);
CREATE INDEX "job_logs_job_id_sort_at_id_idx" ON "job_logs"("job_id", "sort_at" DESC, "id" DESC);

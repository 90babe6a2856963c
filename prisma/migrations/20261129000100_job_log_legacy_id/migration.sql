-- The id a run had in the Python ConnectHub, set by `connecthub import-legacy` (ids may be
-- renumbered with --renumber-logs when the target already holds runs).
ALTER TABLE "job_logs" ADD COLUMN "legacy_id" INTEGER;

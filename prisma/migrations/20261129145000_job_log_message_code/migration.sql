-- A run's message as a stable code and its parameters, beside the English text in "message":
-- clients render the code in their user's language (runs written before this have neither).
ALTER TABLE "job_logs" ADD COLUMN "message_code" TEXT;
ALTER TABLE "job_logs" ADD COLUMN "message_params" JSONB;

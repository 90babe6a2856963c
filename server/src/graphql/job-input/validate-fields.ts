import { isValidTimeZone, TriggerValidationError, triggerFromJob } from "../../triggers/index.ts";
import type { FieldError } from "../errors.ts";
import type { JobColumns } from "./job-columns.ts";
import { storableValueProblem } from "./storable-value.ts";

const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:\-]*$/;
const MAX_ID = 200;
const MAX_DESCRIPTION = 2000;
const MAX_SECONDS = 7 * 24 * 3600;
const WEBHOOK_SECRET_KEYS = new Set(["bearer_token", "signing_secret"]);

export function idErrors(id: unknown): FieldError[] {
  if (typeof id !== "string" || id.trim() === "") return [{ field: "id", message: "id is required: a unique name such as \"oa.sync_members\"" }];
  if (id.length > MAX_ID) return [{ field: "id", message: `id is longer than ${MAX_ID} characters` }];
  if (!ID_PATTERN.test(id)) return [{ field: "id", message: "id may contain only letters, digits and . _ : - (no spaces), e.g. \"oa.sync_members\"" }];
  return [];
}

/** Trigger and zone are checked separately, so one bad field does not hide the other. */
export function triggerErrors(job: JobColumns, serverZone: string): FieldError[] {
  const errors: FieldError[] = [];
  if (job.timezone !== null && !isValidTimeZone(job.timezone)) {
    errors.push({ field: "timezone", message: `timezone "${job.timezone}" is not a known IANA time zone; use a name like "Asia/Shanghai" or "UTC", or leave it empty for the server default (${serverZone})` });
  }
  try {
    triggerFromJob({ ...job, timezone: null }, serverZone);
  } catch (error) {
    if (!(error instanceof TriggerValidationError)) throw error;
    errors.push({ field: error.field, message: error.message });
  }
  return errors;
}

function secondsError(field: string, value: number | null, min: number): FieldError[] {
  if (value === null) return [];
  if (!Number.isInteger(value) || value < min || value > MAX_SECONDS) return [{ field, message: `${field} must be a whole number of seconds from ${min} to ${MAX_SECONDS}` }];
  return [];
}

export function scalarErrors(job: JobColumns): FieldError[] {
  const errors: FieldError[] = [];
  // Text columns refuse NUL characters; say so as a field error instead of failing in PostgreSQL.
  for (const [field, value] of Object.entries(job)) {
    const problem = typeof value === "string" ? storableValueProblem(value) : null;
    if (problem) errors.push({ field, message: `${field} ${problem}` });
  }
  if (job.description !== null && job.description.length > MAX_DESCRIPTION) errors.push({ field: "description", message: `description is longer than ${MAX_DESCRIPTION} characters` });
  if (!job.handlerPath.trim()) errors.push({ field: "handlerPath", message: "handlerPath is required, e.g. \"extensions.example.job:ExampleJob\"" });
  errors.push(...secondsError("timeoutSeconds", job.timeoutSeconds, 1));
  errors.push(...secondsError("misfireGraceSeconds", job.misfireGraceSeconds, 0));
  if (job.keepLastRuns !== null && !(Number.isInteger(job.keepLastRuns) && job.keepLastRuns >= 1)) {
    errors.push({ field: "keepLastRuns", message: "must be a whole number of runs, at least 1 (or empty to keep runs by age only)" });
  }
  if (job.webhookUrl !== null) {
    let ok = false;
    try {
      ok = ["http:", "https:"].includes(new URL(job.webhookUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) errors.push({ field: "webhookUrl", message: "webhookUrl must be an http:// or https:// URL, or empty for none" });
  }
  return errors;
}

export function webhookSecretErrors(secret: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(secret)) {
    if (!WEBHOOK_SECRET_KEYS.has(key)) errors.push({ field: `webhookSecret.${key}`, message: `unknown key; allowed: ${[...WEBHOOK_SECRET_KEYS].join(", ")}` });
    else if (typeof value !== "string" || value === "") errors.push({ field: `webhookSecret.${key}`, message: "must be a non-empty string" });
  }
  return errors;
}

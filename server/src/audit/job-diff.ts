import type { Job } from "../generated/prisma/client.ts";
import { displayUrl } from "../webhooks/deliver.ts";

/** Columns an edit can change that the audit shows by value. */
const PLAIN: ReadonlyArray<keyof Job> = [
  "id", "description", "enabled", "triggerType", "cronExpr", "intervalSeconds", "startAt", "timezone", "handlerPath",
  "publicCfg", "timeoutSeconds", "allowOverlap", "misfireGraceSeconds", "webhookFormat", "webhookWhen", "keepLastRuns",
];

/** What the caller sent for the secret columns: only its key names are ever kept. */
export interface SecretInputs {
  secretCfg?: unknown;
  clearSecretCfg?: boolean | null;
  webhookSecret?: unknown;
  clearWebhookSecret?: boolean | null;
}

const keysOf = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.keys(v).sort() : undefined);
const comparable = (v: unknown) => (v instanceof Date ? v.toISOString() : JSON.stringify(v ?? null));
const shown = (v: unknown) => (v instanceof Date ? v.toISOString() : (v ?? null));
// Robot webhook URLs carry their key in the query or a long path segment: shown in safe form.
const safeUrl = (url: string | null) => (url ? displayUrl(url) : null);

function secretChange(before: string | null, after: string | null, sent: unknown, cleared: boolean | null | undefined) {
  if (before === after) return undefined;
  if (cleared || after === null) return { changed: true, cleared: true };
  return { changed: true, ...(keysOf(sent) ? { keys: keysOf(sent) } : {}) };
}

/**
 * The field-level diff of an edit: plain columns as {from, to}; the secret columns only as
 * "changed" with the key names sent (their stored form is a Fernet token that differs on every
 * write, and their values are never written to the audit log).
 */
export function jobDiff(before: Job, after: Job, sent: SecretInputs): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of PLAIN) {
    if (comparable(before[field]) !== comparable(after[field])) changes[field] = { from: shown(before[field]), to: shown(after[field]) };
  }
  if (before.webhookUrl !== after.webhookUrl) changes.webhookUrl = { changed: true, from: safeUrl(before.webhookUrl), to: safeUrl(after.webhookUrl) };
  const secret = secretChange(before.secretCfg, after.secretCfg, sent.secretCfg, sent.clearSecretCfg);
  if (secret) changes.secretCfg = secret;
  const webhook = secretChange(before.webhookSecret, after.webhookSecret, sent.webhookSecret, sent.clearWebhookSecret);
  if (webhook) changes.webhookSecret = webhook;
  return { changes };
}

/** A new job as the audit shows it: its plain columns, and which secrets were set (key names only). */
export function jobCreated(job: Job, sent: SecretInputs): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of PLAIN) fields[field] = shown(job[field]);
  fields.webhookUrl = safeUrl(job.webhookUrl);
  if (job.secretCfg) fields.secretCfg = { set: true, ...(keysOf(sent.secretCfg) ? { keys: keysOf(sent.secretCfg) } : {}) };
  if (job.webhookSecret) fields.webhookSecret = { set: true, ...(keysOf(sent.webhookSecret) ? { keys: keysOf(sent.webhookSecret) } : {}) };
  return { fields };
}

import type { Job } from "../../generated/prisma/client.ts";
import type { TriggerType, WebhookFormat, WebhookWhen } from "../../generated/prisma/enums.ts";
import type { JobDefinition } from "./job-rules.ts";

/** createJob/updateJob input as the API receives it: undefined = omitted, null = cleared. */
export interface JobInput {
  id?: string | null;
  description?: string | null;
  enabled?: boolean | null;
  triggerType?: TriggerType | null;
  cronExpr?: string | null;
  intervalSeconds?: number | null;
  startAt?: Date | null;
  timezone?: string | null;
  handlerPath?: string | null;
  publicCfg?: unknown;
  secretCfg?: unknown;
  clearSecretCfg?: boolean | null;
  timeoutSeconds?: number | null;
  allowOverlap?: boolean | null;
  misfireGraceSeconds?: number | null;
  keepLastRuns?: number | null;
  webhookUrl?: string | null;
  webhookFormat?: WebhookFormat | null;
  webhookWhen?: WebhookWhen | null;
  webhookSecret?: unknown;
  clearWebhookSecret?: boolean | null;
}

/** The plain (non-secret) columns of a job. */
export type JobColumns = Omit<JobDefinition, "publicCfg" | "secretCfg" | "webhookSecret">;

const blankToNull = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === "" ? null : v.trim());

/**
 * A new job's definition, before the rules: defaults filled in, text trimmed, blank text as none.
 * The id is kept as sent: surrounding spaces are refused, not trimmed away.
 */
export function definitionForCreate(input: JobInput) {
  return {
    id: input.id ?? "",
    description: blankToNull(input.description),
    enabled: input.enabled ?? true,
    triggerType: input.triggerType ?? "CRON",
    cronExpr: blankToNull(input.cronExpr),
    intervalSeconds: input.intervalSeconds ?? null,
    startAt: input.startAt ?? null,
    timezone: blankToNull(input.timezone),
    handlerPath: (input.handlerPath ?? "").trim(),
    publicCfg: input.publicCfg,
    // A new job's secret config defaults to none; its keys are still checked against the handler's schema.
    secretCfg: input.secretCfg ?? null,
    timeoutSeconds: input.timeoutSeconds ?? null,
    allowOverlap: input.allowOverlap ?? false,
    misfireGraceSeconds: input.misfireGraceSeconds ?? 300,
    keepLastRuns: input.keepLastRuns ?? null,
    webhookUrl: blankToNull(input.webhookUrl),
    webhookFormat: input.webhookFormat ?? "JSON",
    webhookWhen: input.webhookWhen ?? "FAILURE",
    webhookSecret: input.webhookSecret ?? null,
  };
}

/** Columns that cannot be cleared: null, like omitted, keeps the stored value. */
const KEPT_WHEN_NULL = ["id", "enabled", "triggerType", "handlerPath", "allowOverlap", "misfireGraceSeconds", "webhookFormat", "webhookWhen"] as const;
const TEXT = ["description", "cronExpr", "timezone", "webhookUrl"] as const;

/**
 * An edit as a patch over the stored row: undefined keeps the column, null clears it. A secret is
 * undefined (keep), null (clear) or the new value. Audit reads the clear flags, so they stay.
 */
export function patchForUpdate(input: JobInput): Record<string, unknown> {
  const patch: Record<string, unknown> = { ...input };
  for (const key of KEPT_WHEN_NULL) if (patch[key] === null) patch[key] = undefined;
  for (const key of TEXT) if (typeof patch[key] === "string" || patch[key] === null) patch[key] = blankToNull(patch[key] as string | null);
  if (typeof patch.handlerPath === "string") patch.handlerPath = patch.handlerPath.trim();
  if (patch.publicCfg === null) patch.publicCfg = undefined;
  patch.secretCfg = input.clearSecretCfg ? null : (input.secretCfg ?? undefined);
  patch.webhookSecret = input.clearWebhookSecret ? null : (input.webhookSecret ?? undefined);
  return patch;
}

/** The stored row with a patch applied: what the rules check on update. */
export function definitionForUpdate(job: Job, patch: Record<string, unknown>) {
  const stored = {
    id: job.id,
    description: job.description,
    enabled: job.enabled,
    triggerType: job.triggerType,
    cronExpr: job.cronExpr,
    intervalSeconds: job.intervalSeconds,
    startAt: job.startAt,
    timezone: job.timezone,
    handlerPath: job.handlerPath,
    publicCfg: job.publicCfg as unknown,
    secretCfg: undefined as unknown,
    timeoutSeconds: job.timeoutSeconds,
    allowOverlap: job.allowOverlap,
    misfireGraceSeconds: job.misfireGraceSeconds,
    keepLastRuns: job.keepLastRuns,
    webhookUrl: job.webhookUrl,
    webhookFormat: job.webhookFormat,
    webhookWhen: job.webhookWhen,
    webhookSecret: undefined as unknown,
  };
  const merged: Record<string, unknown> = { ...stored };
  for (const key of Object.keys(stored)) if (patch[key] !== undefined) merged[key] = patch[key];
  return merged as typeof stored;
}

/**
 * An INTERVAL trigger saved without `startAt` counts from the moment it is saved: that instant
 * becomes its stored anchor (slots are anchor + k × interval). DATE needs its instant; CRON has none.
 */
export function withIntervalAnchor<T extends { triggerType: TriggerType | string; startAt?: Date | null }>(columns: T, savedAt: Date): T {
  return columns.triggerType === "INTERVAL" && (columns.startAt === null || columns.startAt === undefined) ? { ...columns, startAt: savedAt } : columns;
}

/** A change to any of these makes a spent one-shot job schedulable again. */
export function triggerChanged(job: Job, next: JobColumns): boolean {
  return (
    job.triggerType !== next.triggerType ||
    job.cronExpr !== next.cronExpr ||
    job.intervalSeconds !== next.intervalSeconds ||
    (job.startAt?.getTime() ?? null) !== (next.startAt?.getTime() ?? null) ||
    job.timezone !== next.timezone
  );
}

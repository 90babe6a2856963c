import type { Job } from "../../generated/prisma/client.ts";
import type { TriggerType, WebhookFormat, WebhookWhen } from "../../generated/prisma/enums.ts";

/** createJob/updateJob input as resolvers receive it: undefined = omitted, null = cleared. */
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

/** The plain (non-secret) columns of a job after defaults (create) or merging (update). */
export interface JobColumns {
  id: string;
  description: string | null;
  enabled: boolean;
  triggerType: TriggerType;
  cronExpr: string | null;
  intervalSeconds: number | null;
  startAt: Date | null;
  timezone: string | null;
  handlerPath: string;
  timeoutSeconds: number | null;
  allowOverlap: boolean;
  misfireGraceSeconds: number;
  keepLastRuns: number | null;
  webhookUrl: string | null;
  webhookFormat: WebhookFormat;
  webhookWhen: WebhookWhen;
}

const blankToNull = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === "" ? null : v.trim());

/** Nullable column: omitted keeps `current`, null clears. */
function pick<T>(input: T | null | undefined, current: T | null): T | null {
  return input === undefined ? current : input;
}

/** Required column: omitted or null keeps `current`. */
function keep<T>(input: T | null | undefined, current: T): T {
  return input === undefined || input === null ? current : input;
}

export function columnsForCreate(input: JobInput): JobColumns {
  return {
    id: (input.id ?? "").trim(),
    description: blankToNull(input.description),
    enabled: input.enabled ?? true,
    triggerType: input.triggerType ?? "CRON",
    cronExpr: blankToNull(input.cronExpr),
    intervalSeconds: input.intervalSeconds ?? null,
    startAt: input.startAt ?? null,
    timezone: blankToNull(input.timezone),
    handlerPath: (input.handlerPath ?? "").trim(),
    timeoutSeconds: input.timeoutSeconds ?? null,
    allowOverlap: input.allowOverlap ?? false,
    misfireGraceSeconds: input.misfireGraceSeconds ?? 300,
    keepLastRuns: input.keepLastRuns ?? null,
    webhookUrl: blankToNull(input.webhookUrl),
    webhookFormat: input.webhookFormat ?? "JSON",
    webhookWhen: input.webhookWhen ?? "FAILURE",
  };
}

export function columnsForUpdate(job: Job, input: JobInput): JobColumns {
  return {
    id: input.id === undefined || input.id === null ? job.id : input.id.trim(),
    description: input.description === undefined ? job.description : blankToNull(input.description),
    enabled: keep(input.enabled, job.enabled),
    triggerType: keep(input.triggerType, job.triggerType),
    cronExpr: input.cronExpr === undefined ? job.cronExpr : blankToNull(input.cronExpr),
    intervalSeconds: pick(input.intervalSeconds, job.intervalSeconds),
    startAt: pick(input.startAt, job.startAt),
    timezone: input.timezone === undefined ? job.timezone : blankToNull(input.timezone),
    handlerPath: input.handlerPath === undefined || input.handlerPath === null ? job.handlerPath : input.handlerPath.trim(),
    timeoutSeconds: pick(input.timeoutSeconds, job.timeoutSeconds),
    allowOverlap: keep(input.allowOverlap, job.allowOverlap),
    misfireGraceSeconds: keep(input.misfireGraceSeconds, job.misfireGraceSeconds),
    keepLastRuns: pick(input.keepLastRuns, job.keepLastRuns),
    webhookUrl: input.webhookUrl === undefined ? job.webhookUrl : blankToNull(input.webhookUrl),
    webhookFormat: keep(input.webhookFormat, job.webhookFormat),
    webhookWhen: keep(input.webhookWhen, job.webhookWhen),
  };
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

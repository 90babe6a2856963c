import type { RunTrigger } from "../generated/prisma/enums.ts";
import { SnapshotInvalidError } from "./errors.ts";

/**
 * What a run executes with, frozen at enqueue (the original's `snapshot_params`). The secret
 * config stays the encrypted Fernet token: it is decrypted in the worker's memory only.
 */
export interface RunSnapshot {
  handler_path: string;
  public_cfg: Record<string, unknown>;
  secret_cfg: string | null;
  meta: {
    job_id: string;
    trigger: RunTrigger;
    scheduled_at: string | null;
    retry_of: number | null;
    timezone: string | null;
    timeout_seconds: number | null;
  };
}

interface JobLike {
  id: string;
  handlerPath: string;
  publicCfg: unknown;
  secretCfg: string | null;
  timezone: string | null;
  timeoutSeconds: number | null;
}

export function snapshotOfJob(job: JobLike, trigger: RunTrigger, scheduledAt: Date | null): RunSnapshot {
  return {
    handler_path: job.handlerPath,
    public_cfg: isObject(job.publicCfg) ? job.publicCfg : {},
    secret_cfg: job.secretCfg,
    meta: {
      job_id: job.id,
      trigger,
      scheduled_at: scheduledAt ? scheduledAt.toISOString() : null,
      retry_of: null,
      timezone: job.timezone,
      timeout_seconds: job.timeoutSeconds,
    },
  };
}

/** The snapshot of a retry: the old run's, with the new trigger and lineage. */
export function snapshotForRetry(old: RunSnapshot, oldLogId: number): RunSnapshot {
  return { ...old, meta: { ...old.meta, trigger: "RETRY", retry_of: oldLogId } };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Reads a stored snapshot, tolerating older ones without the optional meta fields. */
export function parseSnapshot(logId: number, jobId: string, value: unknown): RunSnapshot {
  if (!isObject(value)) throw new SnapshotInvalidError(logId, "not an object");
  if (typeof value.handler_path !== "string" || !value.handler_path) throw new SnapshotInvalidError(logId, "no handler_path");
  const secret = value.secret_cfg;
  if (secret !== null && secret !== undefined && typeof secret !== "string") throw new SnapshotInvalidError(logId, "secret_cfg is not a token");
  const meta = isObject(value.meta) ? value.meta : {};
  return {
    handler_path: value.handler_path,
    public_cfg: isObject(value.public_cfg) ? value.public_cfg : {},
    secret_cfg: typeof secret === "string" && secret.trim() ? secret : null,
    meta: {
      job_id: typeof meta.job_id === "string" ? meta.job_id : jobId,
      trigger: (meta.trigger as RunTrigger) ?? "MANUAL",
      scheduled_at: typeof meta.scheduled_at === "string" ? meta.scheduled_at : null,
      retry_of: typeof meta.retry_of === "number" ? meta.retry_of : null,
      timezone: typeof meta.timezone === "string" ? meta.timezone : null,
      timeout_seconds: typeof meta.timeout_seconds === "number" ? meta.timeout_seconds : null,
    },
  };
}

/** Maps rows of the Python ConnectHub onto ours, noting everything it had to interpret. */
import { DateTime } from "luxon";
import { validateCronExpr } from "../scheduler/triggers/index.ts";
import type { LegacyRow } from "./legacy-source.ts";

export interface LegacyReport {
  zone: string;
  naiveColumns: string[];
  jobs: number;
  logs: number;
  statuses: Record<string, number>;
  /** Legacy status → how many logs, for statuses with no exact counterpart here. */
  unmappedStatuses: Record<string, number>;
  /** RUNNING (or queued) in the original: those runs cannot continue here. */
  abandoned: number;
  triggerDefaulted: number;
  orphanLogs: number;
  invalidCron: string[];
  futureLastRunAt: string[];
  badPublicCfg: string[];
  badSnapshot: number[];
  undecryptable: string[];
}

export function emptyReport(zone: string, naiveColumns: string[]): LegacyReport {
  return {
    zone, naiveColumns, jobs: 0, logs: 0, statuses: {}, unmappedStatuses: {}, abandoned: 0, triggerDefaulted: 0,
    orphanLogs: 0, invalidCron: [], futureLastRunAt: [], badPublicCfg: [], badSnapshot: [], undecryptable: [],
  };
}

/** An instant from ISO text; text without an offset is wall-clock time in `zone`. */
export function legacyInstant(text: string | null | undefined, zone: string): string | null {
  if (text === undefined || text === null || text === "") return null;
  const dt = DateTime.fromISO(text, { zone });
  return dt.isValid ? dt.toUTC().toISO() : null;
}

function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function mapLegacyJob(row: LegacyRow, zone: string, now: Date, report: LegacyReport): Record<string, unknown> {
  const id = row.id!;
  let publicCfg = parseJson(row.public_cfg);
  if (row.public_cfg !== null && !isObject(publicCfg)) {
    report.badPublicCfg.push(id);
    publicCfg = {};
  }
  let enabled = row.enabled === null ? true : row.enabled === "true";
  const cronExpr = row.cron_expr?.trim() || null;
  if (cronExpr === null) {
    report.invalidCron.push(id);
    enabled = false;
  } else {
    try {
      validateCronExpr(cronExpr);
    } catch {
      report.invalidCron.push(id);
      enabled = false;
    }
  }
  let lastRunAt = legacyInstant(row.last_run_at, zone);
  // The original's known bug: a UTC value read as Asia/Shanghai lands in the future and blocks firing.
  if (lastRunAt && new Date(lastRunAt) > now) {
    report.futureLastRunAt.push(id);
    lastRunAt = null;
  }
  const createdAt = legacyInstant(row.created_at, zone);
  return {
    id,
    enabled,
    trigger_type: "CRON",
    cron_expr: cronExpr ?? "* * * * *",
    handler_path: row.handler_path!.trim(),
    public_cfg: publicCfg ?? {},
    secret_cfg: row.secret_cfg?.trim() ? row.secret_cfg : null,
    last_run_at: lastRunAt,
    ...(createdAt ? { created_at: createdAt } : {}),
    updated_at: now.toISOString(),
  };
}

const STATUS: Record<string, "SUCCESS" | "FAILURE" | "ABANDONED"> = {
  SUCCESS: "SUCCESS",
  FAILURE: "FAILURE",
  RUNNING: "ABANDONED",
};
const TRIGGERS: Record<string, string> = { retry: "RETRY", manual: "MANUAL", run_now: "MANUAL", run: "MANUAL", cron: "CRON", dispatcher: "CRON", schedule: "CRON", beat: "CRON" };

export function mapLegacyLog(row: LegacyRow, zone: string, report: LegacyReport): Record<string, unknown> {
  const legacyStatus = (row.status ?? "").trim().toUpperCase();
  report.statuses[legacyStatus] = (report.statuses[legacyStatus] ?? 0) + 1;
  let status = STATUS[legacyStatus];
  let note: string | null = null;
  if (legacyStatus === "RUNNING") {
    report.abandoned += 1;
    note = "[import] RUNNING in the original system when it was imported; recorded as ABANDONED.";
  } else if (!status) {
    report.unmappedStatuses[legacyStatus] = (report.unmappedStatuses[legacyStatus] ?? 0) + 1;
    status = "ABANDONED";
    note = `[import] unknown status "${row.status}" in the original system; recorded as ABANDONED.`;
  }
  let snapshot = parseJson(row.snapshot_params);
  if (row.snapshot_params !== null && !isObject(snapshot)) report.badSnapshot.push(Number(row.id));
  if (!isObject(snapshot)) snapshot = {};
  const meta = (snapshot as Record<string, unknown>).meta;
  const rawTrigger = isObject(meta) && typeof meta.trigger === "string" ? meta.trigger.toLowerCase() : "";
  const trigger = TRIGGERS[rawTrigger];
  if (!trigger) report.triggerDefaulted += 1;
  const runLog = row.run_log ?? "";
  const message = [row.message, note].filter((m) => m !== null && m !== "").join("\n") || null;
  const startedAt = legacyInstant(row.started_at, zone);
  const createdAt = legacyInstant(row.created_at, zone) ?? startedAt;
  const attempt = Number(row.attempt);
  return {
    id: Number(row.id),
    job_id: row.job_id,
    status,
    trigger: trigger ?? "CRON",
    snapshot_params: snapshot,
    message,
    traceback: row.traceback,
    run_log: runLog,
    run_log_bytes: Buffer.byteLength(runLog, "utf8"),
    attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
    queue_job_id: row.celery_task_id,
    started_at: startedAt,
    finished_at: legacyInstant(row.finished_at, zone) ?? (status === "ABANDONED" ? startedAt : null),
    ...(createdAt ? { created_at: createdAt } : {}),
  };
}

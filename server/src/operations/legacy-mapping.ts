/**
 * Maps rows of the Python ConnectHub onto ours. Every value the mapping had to interpret or
 * replace is counted in the report; a row that cannot be imported is recorded as a bad row naming
 * its table, id and column, and the mapper returns null for it.
 */
import { DateTime } from "luxon";
import { validateCronExpr } from "../triggers/index.ts";
import { fromCroniter } from "./legacy-cron.ts";
import type { BadRow, LegacyReport } from "./legacy-report.ts";
import type { LegacyRow, LegacyTable } from "./legacy-source.ts";

/** The columns every mapped row carries, in the target's names: the insert names exactly these. */
export const TARGET_JOB_COLUMNS = [
  "id", "description", "enabled", "trigger_type", "cron_expr", "handler_path", "public_cfg", "secret_cfg", "last_run_at", "created_at", "updated_at",
] as const;
export const TARGET_LOG_COLUMNS = [
  "id", "job_id", "status", "trigger", "snapshot_params", "message", "traceback", "run_log", "run_log_bytes", "attempt", "queue_job_id",
  "retry_of_id", "started_at", "finished_at", "created_at", "legacy_id",
] as const;

type Mapped<C extends readonly string[]> = Record<C[number], unknown>;
export type MappedJob = Mapped<typeof TARGET_JOB_COLUMNS>;
export type MappedLog = Mapped<typeof TARGET_LOG_COLUMNS>;

/** Thrown inside a mapper; turned into a BadRow by the caller. */
class RowProblem extends Error {
  readonly column: string;
  constructor(column: string, problem: string) {
    super(problem);
    this.column = column;
  }
}

function badRow(report: LegacyReport, table: LegacyTable, id: string, error: unknown): null {
  if (!(error instanceof RowProblem)) throw error;
  const row: BadRow = { table, id, column: error.column, problem: error.message };
  report.badRows.push(row);
  return null;
}

/**
 * An instant from the source's text: ISO with "T" or " " (SQLite), any number of fractional
 * digits, with or without an offset (without: wall-clock time in `zone`), or epoch seconds.
 */
export function legacyInstant(text: string | null, zone: string, column: string, report: LegacyReport): string | null {
  if (text === null || text.trim() === "") return null;
  const value = text.trim();
  let dt: DateTime;
  if (/^\d+(\.\d+)?$/.test(value)) dt = DateTime.fromSeconds(Number(value), { zone: "UTC" });
  else dt = DateTime.fromISO(value.replace(/^(\d{4}-\d{2}-\d{2}) /, "$1T"), { zone });
  if (!dt.isValid) throw new RowProblem(column, `"${value}" is not a date and time`);
  const fraction = /[.,](\d+)/.exec(value.replace(/^\d+/, ""))?.[1];
  if (fraction && /[1-9]/.test(fraction.slice(3))) report.subMillisecond += 1;
  return dt.toUTC().toISO();
}

function parseJson(text: string | null, column: string): unknown {
  if (text === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return Symbol.for("invalid");
  }
  if (containsNul(value)) throw new RowProblem(column, "contains \\u0000, which PostgreSQL cannot store in JSON");
  return value;
}

function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\u0000") || containsNul(v));
  return false;
}

function text(row: LegacyRow, column: string): string | null {
  const value = row[column] ?? null;
  if (value !== null && value.includes("\u0000")) throw new RowProblem(column, "contains a NUL character, which PostgreSQL cannot store in text");
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** PostgreSQL booleans arrive as true/false, SQLite's as 1/0; anything else is not a boolean. */
function legacyBoolean(value: string | null, column: string): boolean | null {
  if (value === null) return null;
  const v = value.trim().toLowerCase();
  if (["true", "t", "1", "yes", "y", "on"].includes(v)) return true;
  if (["false", "f", "0", "no", "n", "off"].includes(v)) return false;
  throw new RowProblem(column, `"${value}" is not a boolean`);
}

/** The description of a job whose expression import-legacy converted (the original had none). */
export function convertedCronNote(legacy: string, converted: string): string {
  return `Imported from the Python ConnectHub: cron "${legacy}" (croniter, seconds last) converted to "${converted}".`;
}

/** The job's expression is still the one import-legacy converted: already in ConnectHub's convention. */
export function isConvertedCron(description: string | null, cronExpr: string): boolean {
  return description?.includes(`(croniter, seconds last) converted to "${cronExpr}".`) ?? false;
}

export function mapLegacyJob(row: LegacyRow, zone: string, now: Date, report: LegacyReport): MappedJob | null {
  const id = row.id?.trim() ?? "";
  if (!id) return badRow(report, "jobs", row.id ?? "(null)", new RowProblem("id", "is empty"));
  try {
    return mapJob(id, row, zone, now, report);
  } catch (error) {
    return badRow(report, "jobs", id, error);
  }
}

function mapJob(id: string, row: LegacyRow, zone: string, now: Date, report: LegacyReport): MappedJob {
  const handlerPath = text(row, "handler_path")?.trim();
  if (!handlerPath) throw new RowProblem("handler_path", "is empty: there is no code to run");
  let publicCfg = parseJson(text(row, "public_cfg"), "public_cfg");
  if (publicCfg !== undefined && !isObject(publicCfg)) {
    report.badPublicCfg.push(id);
    publicCfg = {};
  }
  let enabled = legacyBoolean(row.enabled ?? null, "enabled");
  if (enabled === null) {
    // The original's dispatcher fired only `enabled = true`: a NULL never ran there.
    report.enabledNull.push(id);
    enabled = false;
  }
  let cronExpr = text(row, "cron_expr")?.trim() || null;
  const conversion = cronExpr ? fromCroniter(cronExpr) : null;
  if (cronExpr && conversion) {
    report.cronConversions.push({ jobId: id, ...conversion });
    cronExpr = conversion.converted;
  }
  try {
    if (cronExpr === null) throw new Error("no cron expression");
    validateCronExpr(cronExpr);
  } catch {
    report.invalidCron.push(id);
    enabled = false;
  }
  let lastRunAt = legacyInstant(row.last_run_at ?? null, zone, "last_run_at", report);
  // The original's known bug: a UTC value read as Asia/Shanghai lands in the future and blocks firing.
  if (lastRunAt && new Date(lastRunAt) > now) {
    report.futureLastRunAt.push(id);
    lastRunAt = null;
  }
  return {
    id,
    // The original had no description: this one says why the expression differs from the original's.
    description: conversion ? convertedCronNote(conversion.legacy, conversion.converted) : null,
    enabled,
    trigger_type: "CRON",
    cron_expr: cronExpr ?? "* * * * *",
    handler_path: handlerPath,
    public_cfg: publicCfg ?? {},
    // Kept as stored: decryption tolerates the quotes and whitespace the original tolerated.
    secret_cfg: row.secret_cfg?.trim() ? row.secret_cfg : null,
    last_run_at: lastRunAt,
    created_at: legacyInstant(row.created_at ?? null, zone, "created_at", report) ?? now.toISOString(),
    updated_at: now.toISOString(),
  };
}

const FINISHED: Record<string, "SUCCESS" | "FAILURE"> = { SUCCESS: "SUCCESS", FAILURE: "FAILURE" };
/** States of a run that had not finished: RUNNING (the original's), QUEUED/PENDING/STARTED (Celery's). */
const UNFINISHED = new Set(["RUNNING", "QUEUED", "PENDING", "STARTED"]);
const TRIGGERS: Record<string, string> = { retry: "RETRY", manual: "MANUAL", run_now: "MANUAL", run: "MANUAL", cron: "CRON", dispatcher: "CRON", schedule: "CRON", beat: "CRON" };
/** Keys under snapshot_params.meta that may name the run a retry was made from. */
const RETRY_OF_KEYS = ["retry_of", "retry_of_id", "retry_of_log_id", "source_log_id", "original_log_id"];

export interface LogContext {
  zone: string;
  now: Date;
  /** last_run_at of each imported job: the fallback for a log without started_at or finished_at. */
  jobLastRunAt: ReadonlyMap<string, string | null>;
  /** legacy id → new id (identity unless --renumber-logs). */
  newId(legacyId: number): number;
  /** Legacy ids imported so far: a retry link is kept only when its run is here. */
  imported: ReadonlySet<number>;
}

export function mapLegacyLog(row: LegacyRow, context: LogContext, report: LegacyReport): MappedLog | null {
  const legacyId = Number(row.id);
  if (!Number.isSafeInteger(legacyId)) return badRow(report, "job_logs", row.id ?? "(null)", new RowProblem("id", "is not an integer"));
  try {
    return mapLog(legacyId, row, context, report);
  } catch (error) {
    return badRow(report, "job_logs", String(legacyId), error);
  }
}

function mapLog(legacyId: number, row: LegacyRow, context: LogContext, report: LegacyReport): MappedLog {
  const { zone } = context;
  const legacyStatus = (row.status ?? "").trim().toUpperCase();
  let status: string | undefined = FINISHED[legacyStatus];
  let note: string | null = null;
  if (UNFINISHED.has(legacyStatus)) {
    status = "ABANDONED";
    note = `[import] Imported unfinished: it was ${legacyStatus} in the Python ConnectHub when its data was imported, and cannot continue here.`;
  } else if (!status) {
    report.unmappedStatuses[legacyStatus] = (report.unmappedStatuses[legacyStatus] ?? 0) + 1;
    status = "ABANDONED";
    note = `[import] Unknown status "${row.status ?? ""}" in the Python ConnectHub; recorded as ABANDONED.`;
  }
  const rawSnapshot = text(row, "snapshot_params");
  let snapshot = parseJson(rawSnapshot, "snapshot_params");
  if (rawSnapshot !== null && !isObject(snapshot)) report.badSnapshot.push(legacyId);
  if (!isObject(snapshot)) snapshot = {};
  const meta = (snapshot as Record<string, unknown>).meta;
  const rawTrigger = isObject(meta) && typeof meta.trigger === "string" ? meta.trigger.toLowerCase() : "";
  const trigger = TRIGGERS[rawTrigger];
  const retryOf = isObject(meta) ? RETRY_OF_KEYS.map((k) => Number(meta[k])).find((n) => Number.isSafeInteger(n) && context.imported.has(n)) : undefined;

  const message = [text(row, "message"), note].filter((m) => m !== null && m !== "").join("\n") || null;
  const traceback = text(row, "traceback");
  const runLog = text(row, "run_log") ?? "";
  const queueJobId = text(row, "celery_task_id");
  const finishedAt = legacyInstant(row.finished_at ?? null, zone, "finished_at", report);
  let startedAt = legacyInstant(row.started_at ?? null, zone, "started_at", report);
  if (startedAt === null) {
    const lastRunAt = context.jobLastRunAt.get(row.job_id!) ?? null;
    if (finishedAt) report.startedAtFrom.finishedAt.push(legacyId);
    else if (lastRunAt) report.startedAtFrom.lastRunAt.push(legacyId);
    else report.startedAtFrom.importTime.push(legacyId);
    startedAt = finishedAt ?? lastRunAt ?? context.now.toISOString();
  }
  const attempt = Number(row.attempt);
  const validAttempt = row.attempt !== null && Number.isInteger(attempt) && attempt > 0;
  if (!validAttempt) report.attemptRaised += 1;

  // Counted last, so a bad row does not count.
  report.statuses[legacyStatus] = (report.statuses[legacyStatus] ?? 0) + 1;
  if (UNFINISHED.has(legacyStatus)) report.unfinished += 1;
  if (!trigger) report.triggerDefaulted += 1;
  return {
    id: context.newId(legacyId),
    job_id: row.job_id,
    status,
    trigger: trigger ?? "CRON",
    snapshot_params: snapshot,
    message,
    traceback,
    run_log: runLog,
    run_log_bytes: Buffer.byteLength(runLog, "utf8"),
    attempt: validAttempt ? attempt : 1,
    queue_job_id: queueJobId,
    retry_of_id: retryOf === undefined ? null : context.newId(retryOf),
    started_at: startedAt,
    // A run that never finished keeps no finish time: inventing one would fake a duration.
    finished_at: finishedAt,
    created_at: legacyInstant(row.created_at ?? null, zone, "created_at", report) ?? startedAt,
    legacy_id: legacyId,
  };
}

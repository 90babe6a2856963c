import { DateTime } from "luxon";
import type { LogRecord } from "../logging/log-context.ts";

const LEVEL_NAMES: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };
export const WARN_LEVEL = 40;

/**
 * Fields every line carries, or that the line's layout already shows. The run's trace_id is in
 * every line's context (the process log shows it on each); its run log names it once, at the start.
 */
const HIDDEN_FIELDS = new Set(["level", "time", "msg", "pid", "hostname", "v", "job_id", "log_id", "trace_id", "err"]);

export function levelName(level: number): string {
  return LEVEL_NAMES[level] ?? `L${level}`;
}

function instantOf(time: LogRecord["time"]): number {
  if (typeof time === "number") return time;
  const ms = Date.parse(String(time));
  return Number.isNaN(ms) ? Date.now() : ms;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '"[unserialisable]"';
  }
}

/** A serialised error (pino's `err`), shown as its stack on the following lines. */
function errorText(err: unknown): string {
  if (!err || typeof err !== "object") return "";
  const e = err as { type?: string; message?: string; stack?: string };
  const body = e.stack ?? `${e.type ?? "Error"}: ${e.message ?? ""}`;
  return `\n${body
    .split("\n")
    .map((l) => `    ${l.trimStart()}`)
    .join("\n")}`;
}

/**
 * One human-readable run-log line (without the trailing newline):
 * `2026-11-23T17:00:00.123+08:00 INFO  message {"k":"v"}` in the job's time zone.
 */
export function formatRecord(record: LogRecord, zone: string): string {
  const ts = DateTime.fromMillis(instantOf(record.time), { zone }).toISO({ includeOffset: true }) ?? new Date(instantOf(record.time)).toISOString();
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!HIDDEN_FIELDS.has(k) && v !== undefined) extra[k] = v;
  const fields = Object.keys(extra).length ? ` ${safeJson(extra)}` : "";
  return `${ts} ${levelName(record.level).padEnd(5)} ${record.msg ?? ""}${fields}${errorText(record.err)}`;
}

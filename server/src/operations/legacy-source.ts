/**
 * Where the Python ConnectHub's data is read from: its PostgreSQL database or the SQLite file it
 * used before (both through SQLAlchemy models Job / JobLog). Each source pages with keysets on the
 * primary key (string `jobs.id`, numeric `job_logs.id`) and hands every value over as text, so the
 * mapping interprets one form whatever the engine's typing was.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { LegacySourceUrlError } from "./operation-errors.ts";

export type LegacyTable = "jobs" | "job_logs";
export type LegacyRow = Record<string, string | null>;

export interface LegacyColumns {
  present: Set<string>;
  /** Timestamp columns stored without a time zone (read as wall-clock time in the import's zone). */
  naive: Set<string>;
}

export interface LegacySource {
  /** What the report calls the source: the URL without its password, or the file path. */
  readonly description: string;
  columns(table: LegacyTable): Promise<LegacyColumns>;
  /** Jobs in id order (byte order), a page at a time. */
  jobs(columns: LegacyColumns): AsyncGenerator<LegacyRow[]>;
  /** Every log id, ascending. */
  logIds(): Promise<number[]>;
  /** Logs in numeric id order, a page at a time: run logs can be large. */
  logs(columns: LegacyColumns): AsyncGenerator<LegacyRow[]>;
  close(): Promise<void>;
}

export const LEGACY_JOB_COLUMNS = ["id", "enabled", "cron_expr", "handler_path", "public_cfg", "secret_cfg", "last_run_at", "created_at"] as const;
export const LEGACY_LOG_COLUMNS = [
  "id", "job_id", "status", "snapshot_params", "message", "traceback", "run_log", "celery_task_id", "attempt", "started_at", "finished_at", "created_at",
] as const;
export const LEGACY_TIMESTAMPS: Record<LegacyTable, readonly string[]> = {
  jobs: ["last_run_at", "created_at"],
  job_logs: ["started_at", "finished_at", "created_at"],
};
/** Without these the rows mean nothing; every other column may be missing (older layouts). */
export const LEGACY_REQUIRED: Record<LegacyTable, readonly string[]> = { jobs: ["id", "handler_path"], job_logs: ["id", "job_id", "status"] };
export const LEGACY_PAGE_ROWS = 500;

export type LegacyLocation = { kind: "postgresql"; url: string } | { kind: "sqlite"; file: string };

/**
 * Reads `--from` as the operator has it: the original's own DB_URL (SQLAlchemy forms
 * `postgresql+psycopg://`, `postgresql+psycopg2://`, `sqlite:///relative.db`,
 * `sqlite:////absolute.db`), a plain postgresql:// URL, or a path to the SQLite file.
 */
export function parseLegacyLocation(from: string, cwd = process.cwd()): LegacyLocation {
  const text = from.trim();
  const driver = /^(postgres(?:ql)?)(\+[a-z0-9_]+)?:\/\//i.exec(text);
  if (driver) return { kind: "postgresql", url: `postgresql://${text.slice(driver[0].length)}` };
  const sqlite = /^sqlite(\+[a-z0-9_]+)?:\/\/\/(.*)$/i.exec(text);
  if (sqlite) {
    const rest = sqlite[2]!.replace(/\?.*$/, "");
    if (!rest) throw new LegacySourceUrlError(from, "a SQLite URL needs a file: sqlite:///relative/path.db or sqlite:////absolute/path.db");
    return { kind: "sqlite", file: path.resolve(cwd, rest) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new LegacySourceUrlError(from, "use the original's DB_URL (postgresql://, postgresql+psycopg://, sqlite:///…) or the path of its SQLite file");
  }
  const file = path.resolve(cwd, text);
  if (!existsSync(file)) throw new LegacySourceUrlError(from, `there is no file ${file}`);
  return { kind: "sqlite", file };
}

/** The URL as it may be printed: without its password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

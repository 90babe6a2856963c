// Run-log lines as the worker writes them (server/src/execution/log-format.ts):
// `2026-11-23T17:00:00.123+08:00 INFO  message {"k":"v"}`, an error's stack on indented lines after it.

export interface LogEntry {
  /** Position in the log, from 0: stable across appends. */
  index: number;
  /** The ISO timestamp as written (in the job's zone), or "" for a line that is not a record. */
  time: string;
  level: string;
  message: string;
  /** The record's extra fields (the trailing JSON object), flattened to key → text. */
  fields: Array<[string, string]>;
  /** Lines that continue this record (an error's stack). */
  extra: string;
  /** The entry's lines exactly as in the log, for search and copy. */
  raw: string;
}

const RECORD = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)) (TRACE|DEBUG|INFO|WARN|ERROR|FATAL|L\d+) +(.*)$/;
// A message may itself contain " {": try a few candidate starts, leftmost (largest object) first.
const MAX_JSON_TRIES = 8;

function fieldText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Splits `message {json}` into the message and its fields; a line without a trailing object keeps it all. */
export function splitFields(text: string): { message: string; fields: Array<[string, string]> } {
  if (!text.endsWith("}")) return { message: text, fields: [] };
  let from = text.indexOf("{");
  for (let tries = 0; from >= 0 && tries < MAX_JSON_TRIES; tries++, from = text.indexOf("{", from + 1)) {
    if (from > 0 && text[from - 1] !== " ") continue;
    try {
      const parsed: unknown = JSON.parse(text.slice(from));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        return { message: text.slice(0, Math.max(0, from - 1)), fields: Object.entries(parsed).map(([k, v]) => [k, fieldText(v)]) };
      }
    } catch {
      // not JSON from here: try the next brace
    }
  }
  return { message: text, fields: [] };
}

export function parseLine(line: string, index: number): LogEntry {
  const m = RECORD.exec(line);
  if (!m) return { index, time: "", level: "", message: line, fields: [], extra: "", raw: line };
  const { message, fields } = splitFields(m[3]!);
  return { index, time: m[1]!, level: m[2]!, message, fields, extra: "", raw: line };
}

export interface ParseUpdate {
  /** The last entry already handed out, grown by continuation lines (replace it). */
  replacedLast: LogEntry | null;
  appended: LogEntry[];
}

/**
 * Parses a streamed log chunk by chunk: only complete lines become entries (the tail waits for its
 * newline, or for `end()`), and indented lines join the record before them.
 */
export function createLineParser() {
  let tail = "";
  let last: LogEntry | null = null;
  let count = 0;

  const take = (lines: string[]): ParseUpdate => {
    let replacedLast: LogEntry | null = null;
    const appended: LogEntry[] = [];
    for (const line of lines) {
      const continues = last && last.time && /^\s/.test(line) && line.trim() !== "";
      if (continues) {
        const grown = { ...last!, extra: last!.extra ? `${last!.extra}\n${line}` : line, raw: `${last!.raw}\n${line}` };
        if (appended.length && appended[appended.length - 1] === last) appended[appended.length - 1] = grown;
        else replacedLast = grown;
        last = grown;
      } else {
        last = parseLine(line, count++);
        appended.push(last);
      }
    }
    return { replacedLast, appended };
  };

  return {
    feed(text: string): ParseUpdate {
      const joined = tail + text;
      const cut = joined.lastIndexOf("\n");
      if (cut < 0) {
        tail = joined;
        return { replacedLast: null, appended: [] };
      }
      tail = joined.slice(cut + 1);
      return take(joined.slice(0, cut).split("\n"));
    },
    /** The unterminated last line, as an entry (for a finished log, or to show it meanwhile). */
    end(): ParseUpdate {
      const rest = tail;
      tail = "";
      return rest ? take([rest]) : { replacedLast: null, appended: [] };
    },
    reset() {
      tail = "";
      last = null;
      count = 0;
    },
  };
}

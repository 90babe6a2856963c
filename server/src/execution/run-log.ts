import { MAX_OUTPUT_CHUNK_BYTES } from "../events/event-map.ts";
import type { LogRecord } from "../logging/log-context.ts";
import { formatRecord, levelName, WARN_LEVEL } from "./log-format.ts";
import { splitUtf8, utf8Bytes, utf8Prefix } from "../runs/utf8-chunks.ts";

export interface RunLogOptions {
  /** Cap in UTF-8 bytes, marker line included (RUN_LOG_MAX_BYTES). */
  maxBytes: number;
  /** Zone the line timestamps are written in. */
  zone: string;
  /** Applied to every line before it is kept or published (removes secret values). */
  scrub: (text: string) => string;
  /** Called for every piece appended, in order, with its byte offset; pieces fit one event. */
  onOutput: (offset: number, text: string) => void;
}

const MAX_WARNING_LINES = 200;
const MAX_WARNING_LINE_CHARS = 1_000;

/**
 * One run's captured log: formatted lines, capped by bytes with a trailing `[TRUNCATED]` line,
 * streamed piece by piece with byte offsets, and a summary of its warnings and errors.
 */
export class RunLog {
  private readonly pieces: string[] = [];
  private readonly marker: string;
  private bytesWritten = 0;
  private isTruncated = false;
  private isClosed = false;
  readonly warnings: string[] = [];
  warningCount = 0;

  private readonly options: RunLogOptions;
  constructor(options: RunLogOptions) {
    this.options = options;
    this.marker = `[TRUNCATED] run log reached RUN_LOG_MAX_BYTES (${options.maxBytes} bytes); later lines are only in the process log\n`;
  }

  get bytes(): number {
    return this.bytesWritten;
  }

  get truncated(): boolean {
    return this.isTruncated;
  }

  text(): string {
    if (this.pieces.length > 1) this.pieces.splice(0, this.pieces.length, this.pieces.join(""));
    return this.pieces[0] ?? "";
  }

  /** After close, late lines (from a handler that ignored its abort) are dropped. */
  close(): void {
    this.isClosed = true;
  }

  /** `summarize: false` keeps a line out of the warnings summary (the engine's own outcome lines). */
  record(record: LogRecord, summarize = true): void {
    if (this.isClosed) return;
    const line = this.options.scrub(formatRecord(record, this.options.zone));
    if (summarize && record.level >= WARN_LEVEL) this.noteWarning(`${levelName(record.level)} ${this.options.scrub(String(record.msg ?? ""))}`);
    this.write(`${line}\n`);
  }

  private noteWarning(summary: string): void {
    this.warningCount++;
    if (this.warnings.length < MAX_WARNING_LINES) {
      this.warnings.push(summary.length > MAX_WARNING_LINE_CHARS ? `${summary.slice(0, MAX_WARNING_LINE_CHARS)}…` : summary);
    }
  }

  private write(text: string): void {
    if (this.isTruncated) return;
    const room = this.options.maxBytes - utf8Bytes(this.marker) - this.bytesWritten;
    if (utf8Bytes(text) <= room) {
      this.emit(text);
      return;
    }
    const head = utf8Prefix(text, room - 1);
    this.emit(`${head ? `${head}\n` : ""}${this.marker}`);
    this.isTruncated = true;
  }

  private emit(text: string): void {
    this.pieces.push(text);
    for (const chunk of splitUtf8(text, MAX_OUTPUT_CHUNK_BYTES)) {
      const offset = this.bytesWritten;
      this.bytesWritten += utf8Bytes(chunk);
      this.options.onOutput(offset, chunk);
    }
  }
}

const MAX_MESSAGE_CHARS = 50_000;
const MESSAGE_MARKER = "\n[TRUNCATED]";

/** The run's message: the outcome, then the warnings and errors it logged, capped at 50,000 characters. */
export function composeMessage(base: string, runLog: Pick<RunLog, "warnings" | "warningCount">): string {
  let message = base;
  if (runLog.warningCount) {
    const more = runLog.warningCount - runLog.warnings.length;
    message += `\n\nWarnings and errors logged (${runLog.warningCount}):\n${runLog.warnings.map((w) => `- ${w}`).join("\n")}`;
    if (more > 0) message += `\n- … and ${more} more (see the run log)`;
  }
  if (message.length > MAX_MESSAGE_CHARS) message = message.slice(0, MAX_MESSAGE_CHARS - MESSAGE_MARKER.length) + MESSAGE_MARKER;
  return message;
}

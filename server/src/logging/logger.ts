import { mkdirSync } from "node:fs";
import path from "node:path";
import pino, { type Logger, type StreamEntry } from "pino";
import { logContext, type LogRecord } from "./log-context.ts";

export interface LoggerOptions {
  level: string;
  /** Directory for the size-rotated connecthub.log; null disables file logs. */
  logDir: string | null;
  /** Extra sink for tests and tools (receives every line). */
  extraStream?: NodeJS.WritableStream;
}

const ROTATE_SIZE = "10m";
const ROTATE_KEEP = 5;

/** Sends each line to the run that is executing in the current async context, if any. */
const runCaptureStream = {
  write(line: string) {
    const capture = logContext.getStore()?.capture;
    if (!capture) return;
    try {
      capture(JSON.parse(line) as LogRecord);
    } catch {
      // A line that is not JSON cannot come from pino; nothing to capture.
    }
  },
};

let root: Logger = pino({ level: "info", mixin: contextFields });

function contextFields(): Record<string, unknown> {
  return logContext.getStore()?.fields ?? {};
}

/** The process logger. Configure once at boot with `configureLogger`. */
export function logger(): Logger {
  return root;
}

export async function configureLogger(options: LoggerOptions): Promise<Logger> {
  const streams: StreamEntry[] = [
    { level: "trace", stream: pino.destination({ dest: 1, sync: true }) },
    { level: "trace", stream: runCaptureStream },
  ];
  if (options.logDir) {
    mkdirSync(options.logDir, { recursive: true });
    const { default: pinoRoll } = await import("pino-roll");
    const file = await pinoRoll({
      file: path.join(options.logDir, "connecthub.log"),
      size: ROTATE_SIZE,
      limit: { count: ROTATE_KEEP },
      mkdir: true,
    });
    streams.push({ level: "trace", stream: file });
  }
  if (options.extraStream) streams.push({ level: "trace", stream: options.extraStream });
  root = pino(
    {
      level: options.level,
      mixin: contextFields,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream(streams),
  );
  return root;
}

import { mkdirSync } from "node:fs";
import pino, { type Logger, type StreamEntry } from "pino";
import { createStream } from "rotating-file-stream";
import { logContext, type LogRecord } from "./log-context.ts";

export interface LoggerOptions {
  level: string;
  /** Directory for the size-rotated connecthub.log; null disables file logs. */
  logDir: string | null;
  /** Write to stdout (default true; tools and tests may turn it off). */
  stdout?: boolean;
  /** Extra sink for tests and tools (receives every line). */
  extraStream?: NodeJS.WritableStream;
}

// As the original: connecthub.log rotated at 10 MB, five files kept (connecthub.log.1 … .5).
const ROTATE_SIZE = "10M";
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

function contextFields(): Record<string, unknown> {
  return logContext.getStore()?.fields ?? {};
}

/**
 * Runs keep at least their info lines whatever LOG_LEVEL says (a run log without the handler's
 * progress lines hides exactly what operators look for), so the logger itself is never quieter
 * than info; LOG_LEVEL filters what reaches stdout and the log file.
 */
function buildLogger(options: LoggerOptions): Logger {
  const outputLevel = options.level;
  const captureLevel = pino.levels.values[outputLevel]! < pino.levels.values.info! ? outputLevel : "info";
  const streams: StreamEntry[] = [{ level: captureLevel as pino.Level, stream: runCaptureStream }];
  if (outputLevel !== "silent") {
    const level = outputLevel as pino.Level;
    if (options.stdout !== false) streams.push({ level, stream: pino.destination({ dest: 1, sync: true }) });
    if (options.logDir) {
      mkdirSync(options.logDir, { recursive: true });
      const file = createStream("connecthub.log", { path: options.logDir, size: ROTATE_SIZE, rotate: ROTATE_KEEP });
      file.on("error", (err) => process.stderr.write(`connecthub: cannot write ${options.logDir}/connecthub.log: ${err.message}\n`));
      streams.push({ level, stream: file });
    }
    if (options.extraStream) streams.push({ level, stream: options.extraStream });
  }
  return pino(
    {
      level: captureLevel,
      mixin: contextFields,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream(streams),
  );
}

// Until `configureLogger` runs (tools, tests): stdout at LOG_LEVEL (default info), with run capture.
let root: Logger = buildLogger({ level: pino.levels.values[process.env.LOG_LEVEL ?? ""] ? process.env.LOG_LEVEL! : "info", logDir: null });

/** The process logger. Configure once at boot with `configureLogger`. */
export function logger(): Logger {
  return root;
}

export async function configureLogger(options: LoggerOptions): Promise<Logger> {
  root = buildLogger(options);
  return root;
}

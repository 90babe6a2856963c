import { mkdirSync } from "node:fs";
import pino, { type Logger, type StreamEntry } from "pino";
import { createStream } from "rotating-file-stream";
import { maskLiveSecrets } from "./live-secrets.ts";
import { logContext, type LogRecord } from "./log-context.ts";
import { installOutputMasking } from "./output-masking.ts";

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
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      // Masking cut through the JSON (a secret spanning its syntax): keep the line as text.
      record = { level: 30, time: Date.now(), msg: line.trimEnd() };
    }
    capture(record);
  },
};

function contextFields(): Record<string, unknown> {
  return logContext.getStore()?.fields ?? {};
}

/**
 * A fresh object per line. pino's default strategy is `Object.assign(mixin(), lineFields)`, which
 * wrote each line's fields into the run's shared context object, so `{row: 66}` (or a client's
 * `url`) reappeared on every later line of the run. The context's job_id/log_id win over a line's
 * own: a handler cannot make its lines look like another run's.
 */
function mergeFields(lineFields: object, context: object): object {
  return { ...lineFields, ...context };
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
      mixinMergeStrategy: mergeFields,
      // Every sink (run capture, stdout, connecthub.log) gets the line with live secret values masked.
      hooks: { streamWrite: maskLiveSecrets },
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
  installOutputMasking();
  return root;
}

// Typed errors of the execution engine: a stable `code` for the API, a message an operator can act on.
// The errors of a run's life (not found, refused, duplicate fire, bad snapshot) are in runs/errors.ts.

import { runMessage, type RunMessage } from "../runs/index.ts";

const timeoutMessage = (seconds: number) => runMessage("RUN_TIMED_OUT", { seconds });

/** The secret config could not be decrypted at run time. */
export class SecretConfigError extends Error {
  override readonly name = "SecretConfigError";
  readonly code = "SECRET_CONFIG_UNUSABLE";
  readonly jobId: string;
  constructor(jobId: string, detail: string, options?: { cause?: unknown }) {
    super(`Job "${jobId}": its secret config cannot be used. ${detail}`, options);
    this.jobId = jobId;
  }
}

/** publicCfg / secretCfg do not match the handler's schemas at run time. */
export class ConfigInvalidError extends Error {
  override readonly name = "ConfigInvalidError";
  readonly code = "CONFIG_INVALID";
  readonly jobId: string;
  /** "field: problem; …", the part of the message the admin shows inside its own words. */
  readonly problemsText: string;
  constructor(jobId: string, problems: { field: string; message: string }[]) {
    const problemsText = problems.map((p) => `${p.field}: ${p.message}`).join("; ");
    super(`Job "${jobId}": its config does not match the handler's schema: ${problemsText}. Fix the job's config and run it again.`);
    this.jobId = jobId;
    this.problemsText = problemsText;
  }
}

/** The reason a run's signal is aborted with when an operator cancels it or the worker shuts down. */
export class RunCancelledError extends Error {
  override readonly name = "RunCancelledError";
  readonly code = "RUN_CANCELLED";
  /** What the run's message says (run-messages.ts). */
  readonly runMessage: RunMessage;
  constructor(runMessage: RunMessage) {
    super(runMessage.text);
    this.runMessage = runMessage;
  }
}

/** The reason a run's signal is aborted with when it exceeds its timeout. */
export class RunTimeoutError extends Error {
  override readonly name = "RunTimeoutError";
  readonly code = "RUN_TIMEOUT";
  readonly seconds: number;
  readonly runMessage: RunMessage;
  constructor(seconds: number) {
    const runMessage = timeoutMessage(seconds);
    super(runMessage.text);
    this.seconds = seconds;
    this.runMessage = runMessage;
  }
}

/** What a handler returned cannot be stored as JSON. */
export class ResultNotSerializableError extends Error {
  override readonly name = "ResultNotSerializableError";
  readonly code = "RESULT_NOT_JSON";
  constructor(detail: string) {
    super(`The handler's return value is not JSON-serialisable (${detail}). Return plain objects, arrays, strings, numbers, booleans or null.`);
  }
}

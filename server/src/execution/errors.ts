// Typed errors of the execution engine: a stable `code` for the API, a message an operator can act on.

import { runMessage, type RunMessage } from "./run-messages.ts";

const timeoutMessage = (seconds: number) => runMessage("RUN_TIMED_OUT", { seconds });

export class JobNotFoundError extends Error {
  override readonly name = "JobNotFoundError";
  readonly code = "JOB_NOT_FOUND";
  readonly jobId: string;
  constructor(jobId: string) {
    super(`Job "${jobId}" does not exist (it may have been deleted or renamed).`);
    this.jobId = jobId;
  }
}

export class RunNotFoundError extends Error {
  override readonly name = "RunNotFoundError";
  readonly code = "RUN_NOT_FOUND";
  readonly logId: number;
  constructor(logId: number) {
    super(`Run #${logId} does not exist (its logs may have been purged).`);
    this.logId = logId;
  }
}

export class RetryRefusedError extends Error {
  override readonly name = "RetryRefusedError";
  readonly code = "RETRY_REFUSED";
  readonly logId: number;
  constructor(logId: number, reason: string) {
    super(`Run #${logId} cannot be retried: ${reason}`);
    this.logId = logId;
  }
}

export class RunNotCancellableError extends Error {
  override readonly name = "RunNotCancellableError";
  readonly code = "RUN_NOT_CANCELLABLE";
  readonly logId: number;
  readonly params: Record<string, string | number>;
  constructor(logId: number, status: string) {
    super(`Run #${logId} is already ${status}; only QUEUED or RUNNING runs can be cancelled.`);
    this.logId = logId;
    this.params = { logId, status };
  }
}

/** The (job, scheduled instant) slot already has a fire record: another dispatcher fired it. */
export class DuplicateFireError extends Error {
  override readonly name = "DuplicateFireError";
  readonly code = "DUPLICATE_FIRE";
  readonly jobId: string;
  readonly scheduledAt: Date;
  constructor(jobId: string, scheduledAt: Date) {
    super(`Job "${jobId}" was already fired for ${scheduledAt.toISOString()}.`);
    this.jobId = jobId;
    this.scheduledAt = scheduledAt;
  }
}

/** The snapshot stored in a run is not one this engine can execute. */
export class SnapshotInvalidError extends Error {
  override readonly name = "SnapshotInvalidError";
  readonly code = "SNAPSHOT_INVALID";
  constructor(logId: number, problem: string) {
    super(`Run #${logId} has an unusable snapshotParams (${problem}); run the job again instead of retrying this run.`);
  }
}

/** The secret config could not be decrypted at run time. */
export class SecretConfigError extends Error {
  override readonly name = "SecretConfigError";
  readonly code = "SECRET_CONFIG_UNUSABLE";
  constructor(jobId: string, detail: string, options?: { cause?: unknown }) {
    super(`Job "${jobId}": its secret config cannot be used. ${detail}`, options);
  }
}

/** publicCfg / secretCfg do not match the handler's schemas at run time. */
export class ConfigInvalidError extends Error {
  override readonly name = "ConfigInvalidError";
  readonly code = "CONFIG_INVALID";
  constructor(jobId: string, problems: { field: string; message: string }[]) {
    super(`Job "${jobId}": its config does not match the handler's schema: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}. Fix the job's config and run it again.`);
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

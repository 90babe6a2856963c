// Typed errors of a run's life (create, retry, cancel, snapshot): a stable `code` for the API, a message an operator can act on.

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


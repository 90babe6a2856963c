// The execution engine: what other parts call to start, retry and cancel runs.
export { enqueueRun, handOverRun, type RunRequest, type EnqueueOptions } from "./enqueue.ts";
export { requestCancel } from "./cancel.ts";
export {
  DuplicateFireError,
  JobNotFoundError,
  RetryRefusedError,
  RunNotCancellableError,
  RunNotFoundError,
  RunCancelledError,
  RunTimeoutError,
  SecretConfigError,
  ConfigInvalidError,
} from "./errors.ts";
export { EXECUTE_JOB, type ExecuteJobData } from "./queue-jobs.ts";
export { createWorkerPart } from "./worker-part.ts";
export type { RunSnapshot } from "./snapshot.ts";

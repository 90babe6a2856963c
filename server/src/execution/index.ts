// The execution engine: what other parts call to start, retry and cancel runs.
// Creating, retrying and cancelling runs are runs/'s (the owner of job_logs); re-exported here for callers of the engine.
export {
  enqueueRun,
  handOverRun,
  requestCancel,
  type RunRequest,
  type EnqueueOptions,
  DuplicateFireError,
  JobNotFoundError,
  RetryRefusedError,
  RunNotCancellableError,
  RunNotFoundError,
  EXECUTE_JOB,
  type ExecuteJobData,
  type RunSnapshot,
} from "../runs/index.ts";
export {
  RunCancelledError,
  RunTimeoutError,
  SecretConfigError,
  ConfigInvalidError,
} from "./errors.ts";
export { createWorkerPart } from "./worker-part.ts";

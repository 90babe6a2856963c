import type { JobStatus } from "../generated/prisma/enums.ts";

/** Every status a run (`job_logs.status`) can have. */
export const RUN_STATUSES = ["QUEUED", "RUNNING", "SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"] as const satisfies readonly JobStatus[];

/** Not ended yet: cancellable, not retryable, blocks a retry of the same run and a job's deletion. */
export const ACTIVE_STATUSES = ["QUEUED", "RUNNING"] as const satisfies readonly JobStatus[];

/** Ended: every move into one of these goes through finalizeRun (event, webhooks). */
export const FINAL_STATUSES = ["SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"] as const satisfies readonly JobStatus[];

/** Went wrong: a job webhook set to FAILURE fires for these (an operator's cancel is not one). */
export const FAILED_STATUSES = ["FAILURE", "ABANDONED"] as const satisfies readonly JobStatus[];

/**
 * The allowed moves of a run's status, and the transition (runs/ function) that makes each. A QUEUED
 * run may also be removed without a status (withdrawn before its slot, skipped by the overlap rule):
 * that is a delete, not a move. ABANDONED → SUCCESS/FAILURE/CANCELLED: a worker the sweep misjudged
 * (slow heartbeat) still stores its run's real end. QUEUED → ABANDONED only for a database just
 * copied in (closeInFlightRuns).
 */
export const RUN_TRANSITIONS = {
  QUEUED: { RUNNING: "start", CANCELLED: "cancel or withdraw", ABANDONED: "close in flight (restore, carry-over)" },
  RUNNING: { SUCCESS: "settle", FAILURE: "settle", CANCELLED: "settle", ABANDONED: "abandon" },
  ABANDONED: { SUCCESS: "settle", FAILURE: "settle", CANCELLED: "settle" },
  SUCCESS: {},
  FAILURE: {},
  CANCELLED: {},
} as const satisfies Record<JobStatus, Partial<Record<JobStatus, string>>>;

export function canMove(from: JobStatus, to: JobStatus): boolean {
  return to in RUN_TRANSITIONS[from];
}

export const isActive = (status: JobStatus): boolean => (ACTIVE_STATUSES as readonly JobStatus[]).includes(status);
export const isFinal = (status: JobStatus): boolean => (FINAL_STATUSES as readonly JobStatus[]).includes(status);
export const isFailed = (status: JobStatus): boolean => (FAILED_STATUSES as readonly JobStatus[]).includes(status);

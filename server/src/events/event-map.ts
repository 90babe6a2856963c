import type { JobStatus } from "../generated/prisma/enums.ts";

/**
 * Every topic that crosses processes, with its payload. Each has a publisher in the code and a
 * test proving it fires. Payloads are JSON and stay well under PostgreSQL's 8 kB NOTIFY limit:
 * run-log text is published in chunks of at most MAX_OUTPUT_CHUNK_BYTES.
 */
export interface EventMap {
  /** A run changed status (QUEUED → RUNNING → SUCCESS/FAILURE/CANCELLED/ABANDONED). */
  "jobLog.status": {
    logId: number;
    jobId: string;
    status: JobStatus;
    at: string;
    message?: string | null;
    /** The message's stable code and parameters (runs/run-messages.ts), for clients that translate it. */
    messageCode?: string | null;
    messageParams?: Record<string, string | number> | null;
  };
  /** Run-log text appended at byte `offset` of the run's log. */
  "jobLog.output": { logId: number; jobId: string; offset: number; text: string };
  /** A job definition was created, edited, renamed, enabled/disabled or deleted. */
  "job.changed": { jobId: string; change: "created" | "updated" | "deleted" | "renamed"; previousId?: string };
  /** An operator asked to cancel a run; the worker executing it aborts it. */
  "run.cancelRequested": { logId: number };
  /**
   * Credentials of these users (their sessions) or API tokens were ended or changed (logout,
   * revocation, password/role change, disable, delete): API processes re-check their open
   * WebSocket and SSE connections held by them. Carries ids only, never a credential.
   */
  "auth.credentialsChanged": { kind: "user" | "apiToken"; ids: number[] };
  /**
   * A queue job was saved (queue/wake-channel.ts): idle workers look for due jobs of that name at
   * once instead of at their next poll. `source` names the sending channel, which ignores its own.
   */
  "queue.jobReady": { jobId: string; jobName: string; nextRunAt: string | null; source: string };
}

export type Topic = keyof EventMap;
export const TOPICS: readonly Topic[] = ["jobLog.status", "jobLog.output", "job.changed", "run.cancelRequested", "auth.credentialsChanged", "queue.jobReady"];

/** Leaves room for the envelope and JSON escaping of multi-byte text inside NOTIFY's 8000 bytes. */
export const MAX_OUTPUT_CHUNK_BYTES = 2000;

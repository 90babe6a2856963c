import type { Runtime } from "../runtime.ts";

/** The Agenda job that executes one run; its data names the JobLog. Run Now, retries, re-queued runs. */
export const EXECUTE_JOB = "connecthub.execute_job";

export interface ExecuteJobData {
  logId: number;
}

/**
 * The Agenda job that executes several runs due at the same instant: the dispatcher fires a slot's
 * runs in groups of up to RUNS_PER_QUEUE_JOB, so a minute boundary with 1,000 due jobs costs the
 * queue 40 jobs (locked ahead, one claim statement each) instead of 1,000.
 */
export const EXECUTE_RUNS = "connecthub.execute_runs";

export interface ExecuteRunsData {
  logIds: number[];
}

/**
 * Small enough that a minute's runs spread over several workers (each locks at most
 * WORKER_CONCURRENCY groups, and starts only as many runs as it has free run slots), large enough
 * that the queue's per-job cost (lock, state saves) stops mattering.
 */
export const RUNS_PER_QUEUE_JOB = 25;

/** Puts an execute job for a run on the queue; returns the queue's job id. */
export async function putExecuteJob(runtime: Runtime, logId: number): Promise<string> {
  const job = await runtime.queue.agenda.now<ExecuteJobData>(EXECUTE_JOB, { logId });
  return String(job.attrs._id);
}

/**
 * How long before the runs' instant their execute-runs job is due: the queue's own start-up work
 * (lock, state save) and loading the runs happen in that time, and the worker then waits for the
 * instant itself (execute-run.ts) to decide and start them.
 */
export const RUNS_LEAD_MS = 1500;

/** When the execute-runs job of runs at `at` is due: RUNS_LEAD_MS before, or null when that has passed (due now). */
export function runsJobDueAt(at: Date, now = Date.now()): Date | null {
  const due = at.getTime() - RUNS_LEAD_MS;
  return due > now ? new Date(due) : null;
}

/** Puts one execute job for runs due at `at` (now, if that has passed); returns the queue's job id. */
export async function putExecuteRunsJob(runtime: Runtime, logIds: number[], at: Date): Promise<string> {
  const { agenda } = runtime.queue;
  const due = runsJobDueAt(at);
  const job = due ? await agenda.schedule<ExecuteRunsData>(due, EXECUTE_RUNS, { logIds }) : await agenda.now<ExecuteRunsData>(EXECUTE_RUNS, { logIds });
  return String(job.attrs._id);
}

import type { Runtime } from "../runtime.ts";

/** The Agenda job that executes one run; its data names the JobLog. */
export const EXECUTE_JOB = "connecthub.execute_job";

export interface ExecuteJobData {
  logId: number;
}

/** Puts an execute job for a run on the queue; returns the queue's job id. */
export async function putExecuteJob(runtime: Runtime, logId: number): Promise<string> {
  const job = await runtime.queue.agenda.now<ExecuteJobData>(EXECUTE_JOB, { logId });
  return String(job.attrs._id);
}

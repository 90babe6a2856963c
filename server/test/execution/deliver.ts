// Delivers a queue job the way Agenda's processor does once it has locked it (Job.run: state
// saved, the definition's processor called, the end saved): calling it twice at once is a queue
// delivering the same job twice, as FerretDB's non-atomic findOneAndUpdate or an expired lock do.
import { Job, type Agenda, type JobParameters } from "agenda";

/** The queue job's stored record, to deliver now or later (even after Agenda removed it on completion). */
export async function loadQueueJob(agenda: Agenda, id: string): Promise<JobParameters> {
  const { jobs } = await agenda.queryJobs({ ids: [id], limit: 1 });
  if (!jobs[0]) throw new Error(`queue job ${id} not found`);
  return jobs[0] as unknown as JobParameters;
}

/**
 * A delivery whose queue job the other delivery already finished finds it removed (the worker removes
 * a queue job once its runs started): Agenda's first save of it fails and the handler is not called,
 * as in Agenda's processor. That is a delivery that started nothing, not a failure.
 */
export async function deliverQueueJob(agenda: Agenda, job: string | JobParameters): Promise<void> {
  const attrs = typeof job === "string" ? await loadQueueJob(agenda, job) : job;
  await new Job(agenda, { ...attrs, lockedAt: new Date() }, true).run().catch((error: unknown) => {
    if (!/cannot be updated in the database|does not exist/i.test(String((error as Error)?.message))) throw error;
  });
}

/**
 * Calls the queue job's processor as a delivery does, without Agenda's own state saves: a late
 * delivery of a job that completed meanwhile (Agenda would fail saving it, having removed it).
 */
export async function redeliverQueueJob(agenda: Agenda, attrs: JobParameters): Promise<void> {
  const job = new Job(agenda, { ...attrs, lockedAt: new Date() }, true);
  await agenda.definitions[attrs.name]!.fn(job, () => undefined);
}

import type { Job, Prisma } from "../generated/prisma/client.ts";
import type { EventMap } from "../events/event-map.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { ActionRefusedError, NotFoundError, ValidationError } from "./errors.ts";
import type { CreateVerdict, JobPatch } from "./job-input/input-rules.ts";
import { prepareCreate, prepareUpdate } from "./job-input/validate-job.ts";
import { countActiveRuns, purgeEndedRuns, purgeRunsOfJob } from "../runs/index.ts";

/** The scheduler re-reads definitions on this event (and on its own timer, so a lost event only delays). */
async function publishChanged(runtime: Runtime, payload: EventMap["job.changed"]): Promise<void> {
  await runtime.events.publish("job.changed", payload).catch((err) => logger().error({ err, jobId: payload.jobId }, "could not publish job.changed"));
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
}

async function findJob(runtime: Runtime, id: string): Promise<Job> {
  const job = await runtime.prisma.job.findUnique({ where: { id } });
  if (!job) throw new NotFoundError("Job", id);
  return job;
}

/** Creates a job from createJobRules' verdict on its input (the API checks each input with them). */
export async function createJob(runtime: Runtime, verdict: CreateVerdict): Promise<Job> {
  const data = await prepareCreate(runtime, verdict);
  let job: Job;
  try {
    job = await runtime.prisma.job.create({ data: { ...data, publicCfg: data.publicCfg as Prisma.InputJsonObject, secretCfg: data.secretCfg ?? null, webhookSecret: data.webhookSecret ?? null } });
  } catch (error) {
    // Two creates racing for one id: the loser hears it as a validation error, like the check above.
    if (isUniqueViolation(error)) throw new ValidationError([{ field: "id", code: "JOB_ID_TAKEN", params: { id: String(data.id) }, message: `a job with id "${data.id}" already exists; choose another id` }]);
    throw error;
  }
  await publishChanged(runtime, { jobId: job.id, change: "created" });
  return job;
}

/** Edits a job; a new `id` renames it, and its logs follow (the foreign key is ON UPDATE CASCADE). */
export async function updateJob(runtime: Runtime, id: string, patch: JobPatch): Promise<Job> {
  const current = await findJob(runtime, id);
  const data = await prepareUpdate(runtime, current, patch);
  let job: Job;
  try {
    job = await runtime.prisma.job.update({ where: { id }, data: { ...data, publicCfg: data.publicCfg as Prisma.InputJsonObject } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError([{ field: "id", code: "JOB_ID_TAKEN", params: { id: String(data.id) }, message: `cannot rename to "${data.id}": a job with that id already exists` }]);
    if ((error as { code?: string })?.code === "P2025") throw new NotFoundError("Job", id);
    throw error;
  }
  await publishChanged(runtime, job.id === id ? { jobId: id, change: "updated" } : { jobId: job.id, change: "renamed", previousId: id });
  return job;
}

export async function setJobEnabled(runtime: Runtime, id: string, enabled: boolean): Promise<Job> {
  await findJob(runtime, id);
  const job = await runtime.prisma.job.update({ where: { id }, data: { enabled } });
  await publishChanged(runtime, { jobId: id, change: "updated" });
  return job;
}

/** Deletes a job and all its logs; refused while one of its runs is QUEUED or RUNNING. */
export async function deleteJob(runtime: Runtime, id: string): Promise<{ jobId: string; deletedLogs: number }> {
  await findJob(runtime, id);
  const { prisma } = runtime;
  const deletedLogs = await prisma.$transaction(async (tx) => {
    const active = await countActiveRuns(tx, id);
    if (active > 0) {
      throw new ActionRefusedError("JOB_BUSY", `Job "${id}" has ${active} run(s) QUEUED or RUNNING; cancel them (cancelRun) or wait for them to finish, then delete it.`);
    }
    const count = await purgeRunsOfJob(tx, id);
    await tx.job.delete({ where: { id } });
    return count;
  });
  await publishChanged(runtime, { jobId: id, change: "deleted" });
  return { jobId: id, deletedLogs };
}

/** Deletes a job's finished logs (optionally only those created before `olderThan`); QUEUED/RUNNING ones are kept. */
export async function purgeLogs(runtime: Runtime, jobId: string, olderThan: Date | null | undefined): Promise<{ jobId: string; deleted: number; keptActive: number }> {
  await findJob(runtime, jobId);
  const before = olderThan ?? undefined;
  const [count, keptActive] = await runtime.prisma.$transaction(async (tx) => [await purgeEndedRuns(tx, jobId, before), await countActiveRuns(tx, jobId, before)]);
  return { jobId, deleted: count, keptActive };
}

import { publishStatus } from "../execution/publish.ts";
import { EXECUTE_RUNS, putExecuteRunsJob, RUNS_LEAD_MS, RUNS_PER_QUEUE_JOB } from "../execution/queue-jobs.ts";
import { snapshotOfJob } from "../execution/snapshot.ts";
import type { Prisma as PrismaNs } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { fireSlot } from "./fire-slot.ts";
import { mapLimit } from "./map-limit.ts";
import type { PlannedSlot } from "./plan-window.ts";

/** Slot groups written at once (each is a short transaction and a queue insert). */
const GROUP_CONCURRENCY = 4;

export interface FireStats {
  /** Slots whose run was written and queued now. */
  fired: number;
  /** Slots fired already (by an earlier planner), or whose job went away meanwhile. */
  skipped: number;
}

/**
 * Fires planned slots ahead of their instant, in groups of up to RUNS_PER_QUEUE_JOB runs due at the
 * same instant: per group one transaction writes the fire records (the primary key drops slots
 * fired already), the QUEUED runs and the links between them, then one execute-runs queue job due
 * at the instant takes them all. Whether each run starts is decided at the instant (claim.ts).
 */
export async function firePlannedSlots(runtime: Runtime, slots: readonly PlannedSlot[]): Promise<FireStats> {
  const groups: Array<{ at: Date; jobIds: string[] }> = [];
  const byInstant = new Map<number, string[]>();
  for (const { jobId, at } of slots) {
    const ids = byInstant.get(at.getTime()) ?? [];
    ids.push(jobId);
    byInstant.set(at.getTime(), ids);
  }
  for (const [at, ids] of byInstant) {
    for (let i = 0; i < ids.length; i += RUNS_PER_QUEUE_JOB) groups.push({ at: new Date(at), jobIds: ids.slice(i, i + RUNS_PER_QUEUE_JOB) });
  }
  let fired = 0;
  await mapLimit(groups, GROUP_CONCURRENCY, async (group) => {
    const n = await fireGroup(runtime, group.at, group.jobIds);
    fired += n;
  });
  return { fired, skipped: slots.length - fired };
}

async function fireGroup(runtime: Runtime, at: Date, jobIds: string[]): Promise<number> {
  let logs: Array<{ id: number; jobId: string }>;
  try {
    logs = await runtime.prisma.$transaction((tx) => writeGroup(tx, at, jobIds));
  } catch (err) {
    // A job deleted between the definitions read and this write fails the whole group on its
    // foreign key: fire the group's slots one by one instead, each re-reading its job.
    logger().warn({ err, scheduled_at: at.toISOString(), jobs: jobIds.length }, "firing a slot group failed; firing its slots one by one");
    let fired = 0;
    for (const jobId of jobIds) if ((await fireSlot(runtime, jobId, at, "FIRED")).kind === "enqueued") fired++;
    return fired;
  }
  if (logs.length === 0) return 0;
  const logIds = logs.map((l) => l.id);
  try {
    const queueJobId = (await joinWaitingGroup(runtime, logIds, at)) ?? (await putExecuteRunsJob(runtime, logIds, at));
    await runtime.prisma.jobLog.updateMany({ where: { id: { in: logIds }, queueJobId: null }, data: { queueJobId } });
  } catch (err) {
    logger().warn({ err, scheduled_at: at.toISOString(), runs: logIds.length }, "runs recorded but the queue refused them; a worker's recovery sweep will hand them over");
  }
  await Promise.all(logs.map((log) => publishStatus(runtime, log, "QUEUED")));
  return logs.length;
}

/**
 * Jobs planned one at a time (created or enabled one after another before a shared instant) are
 * fired by separate passes, each a group of one: a queue job each, locked one query at a time, and
 * a worker holds only so many groups, so the last of 50 used to start seconds after the instant.
 * Instead the runs join a group of the same instant that no worker has locked yet, while it has
 * room; the queue then carries a few full groups, taken in one poll. Returns that group's queue job id.
 */
async function joinWaitingGroup(runtime: Runtime, logIds: number[], at: Date): Promise<string | null> {
  const dueAt = new Date(at.getTime() - RUNS_LEAD_MS);
  if (dueAt.getTime() <= Date.now()) return null;
  return runtime.queue.appendToWaitingJob({ name: EXECUTE_RUNS, dueAt, field: "logIds", values: logIds, max: RUNS_PER_QUEUE_JOB });
}

/** Fire records, QUEUED runs (snapshotted as the job is now; the claim snapshots again) and their links. */
async function writeGroup(tx: PrismaNs.TransactionClient, at: Date, jobIds: string[]): Promise<Array<{ id: number; jobId: string }>> {
  // ON CONFLICT DO NOTHING: a slot fired already (an earlier planner, a restart mid-minute) stays as it is.
  const recorded = await tx.$queryRaw<{ job_id: string }[]>`
    INSERT INTO fire_records (job_id, scheduled_at, outcome)
    SELECT id, ${at}::timestamptz, 'FIRED'::"FireOutcome" FROM jobs WHERE id = ANY(${jobIds}::text[])
    ON CONFLICT DO NOTHING
    RETURNING job_id`;
  if (recorded.length === 0) return [];
  const jobs = await tx.job.findMany({ where: { id: { in: recorded.map((r) => r.job_id) } } });
  const logs = await tx.jobLog.createManyAndReturn({
    data: jobs.map((job) => ({
      jobId: job.id,
      trigger: job.triggerType,
      scheduledAt: at,
      snapshotParams: snapshotOfJob(job, job.triggerType, at) as unknown as PrismaNs.InputJsonObject,
    })),
    select: { id: true, jobId: true },
  });
  await tx.$executeRaw`
    UPDATE fire_records AS f SET log_id = v.log_id
    FROM unnest(${logs.map((l) => l.jobId)}::text[], ${logs.map((l) => l.id)}::int[]) AS v(job_id, log_id)
    WHERE f.job_id = v.job_id AND f.scheduled_at = ${at}::timestamptz`;
  return logs;
}

import { createFiredRuns, handOverFiredRuns, RUNS_PER_QUEUE_JOB } from "../runs/index.ts";
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
    logs = await runtime.prisma.$transaction((tx) => createFiredRuns(tx, at, jobIds));
  } catch (err) {
    // A job deleted between the definitions read and this write fails the whole group on its
    // foreign key: fire the group's slots one by one instead, each re-reading its job.
    logger().warn({ err, scheduled_at: at.toISOString(), jobs: jobIds.length }, "firing a slot group failed; firing its slots one by one");
    let fired = 0;
    for (const jobId of jobIds) if ((await fireSlot(runtime, jobId, at, "FIRED")).kind === "enqueued") fired++;
    return fired;
  }
  if (logs.length === 0) return 0;
  await handOverFiredRuns(runtime, logs, at);
  return logs.length;
}

import { DuplicateFireError, enqueueRun, JobNotFoundError, judgeFiredStart } from "../runs/index.ts";
import type { RunTrigger, TriggerType } from "../generated/prisma/enums.ts";
import type { Runtime } from "../runtime.ts";
import { SCHEDULE_SELECT } from "../triggers/job-definitions.ts";

export type FireOutcomeKind = "FIRED" | "CATCHUP";

/** What firing one slot came to. Whether the run starts (overlap, later edits) is decided at its instant, when a worker claims it. */
export type FireResult = { kind: "enqueued"; logId: number } | { kind: "duplicate" } | { kind: "withdrawn"; reason: string };

/**
 * Fires the slot (job, at): records the fire and queues its run, due at `at` (now, for a past slot).
 * The FireRecord primary key makes this at-most-once whoever calls it and how often.
 * `triggerType` is the job's, as the caller just read it; the run's start re-checks the job.
 */
export async function enqueueSlot(runtime: Runtime, jobId: string, triggerType: TriggerType, at: Date, outcome: FireOutcomeKind): Promise<FireResult> {
  const trigger: RunTrigger = outcome === "CATCHUP" ? "CATCHUP" : triggerType;
  try {
    const log = await enqueueRun(runtime, { kind: "job", jobId, trigger, scheduledAt: at }, { fire: { scheduledAt: at, outcome } });
    return { kind: "enqueued", logId: log.id };
  } catch (error) {
    if (error instanceof DuplicateFireError) return { kind: "duplicate" };
    if (error instanceof JobNotFoundError) return { kind: "withdrawn", reason: "the job was deleted" };
    throw error;
  }
}

/**
 * Fires the slot (job, at) after re-reading the job (a catch-up, or a fire job queued by an older
 * version): a disabled, deleted or re-timed job withdraws it at once.
 */
export async function fireSlot(runtime: Runtime, jobId: string, at: Date, outcome: FireOutcomeKind): Promise<FireResult> {
  const { prisma } = runtime;
  // Cheap exit for a slot already decided.
  if (await prisma.fireRecord.findUnique({ where: { jobId_scheduledAt: { jobId, scheduledAt: at } }, select: { outcome: true } })) return { kind: "duplicate" };
  const job = await prisma.job.findUnique({ where: { id: jobId }, select: SCHEDULE_SELECT });
  const verdict = judgeFiredStart(job, { scheduledAt: at }, runtime.config.TIMEZONE);
  if (verdict.kind === "withdraw") return { kind: "withdrawn", reason: verdict.reason };
  return enqueueSlot(runtime, jobId, verdict.job.triggerType, at, outcome);
}

import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { fireSlot } from "./fire-slot.ts";
import { markDatesCompleted } from "../runs/index.ts";
import { type JobDefinition, loadEnabledDefinitions, scheduleOf } from "../triggers/job-definitions.ts";
import { decideMisfires, missedSlots } from "./missed-slots.ts";
import { mapLimit } from "./map-limit.ts";
import { TriggerValidationError } from "../triggers/index.ts";
import { recordFiresSkipped } from "../observability/record.ts";

/**
 * A slot younger than this is not "missed" yet: its fire job may still be on its way through a busy
 * queue. The FireRecord key makes a wrong guess harmless (the later one finds the slot decided).
 */
export const MISFIRE_SETTLE_MS = 15_000;

export interface MisfireSweepResult {
  caughtUp: number;
  skipped: number;
}

/**
 * Finds slots that no dispatcher decided (the whole cluster was down, or the planner was) and
 * records them: at most one CATCHUP run per job, the rest SKIPPED_MISFIRE. "Missed" counts from the
 * job's latest fire record, never from lastRunAt, so a clock-skewed lastRunAt cannot hide slots.
 * Three queries whatever the number of jobs, plus one write per slot actually missed.
 */
export async function sweepMisfires(runtime: Runtime, now = new Date()): Promise<MisfireSweepResult> {
  const jobs = await loadEnabledDefinitions(runtime.prisma);
  if (jobs.length === 0) return { caughtUp: 0, skipped: 0 };
  const lastFires = await latestFireRecords(runtime, jobs.map((j) => j.id), now);
  const horizon = new Date(now.getTime() - MISFIRE_SETTLE_MS);
  const result: MisfireSweepResult = { caughtUp: 0, skipped: 0 };
  const catchUps: { job: JobDefinition; at: Date }[] = [];

  for (const job of jobs) {
    const schedule = scheduleOf(job, runtime.config.TIMEZONE);
    if (schedule instanceof TriggerValidationError) continue;
    const missed = missedSlots(schedule, baselineOf(job, lastFires.get(job.id), now), horizon);
    if (!missed) continue;
    const decision = decideMisfires(missed, now, job.misfireGraceSeconds);
    if (decision.skipped.length) {
      const { count } = await runtime.prisma.fireRecord.createMany({
        data: decision.skipped.map((s) => ({ jobId: job.id, scheduledAt: s.at, outcome: "SKIPPED_MISFIRE" as const, note: s.note })),
        skipDuplicates: true,
      });
      result.skipped += count;
      recordFiresSkipped("misfire", count);
      if (job.triggerType === "DATE" && !decision.catchUp) await markDatesCompleted(runtime.prisma, [job.id]);
      logger().warn({ job_id: job.id, missed: missed.total, recorded: count }, "missed slots recorded as SKIPPED_MISFIRE");
    }
    if (decision.catchUp) catchUps.push({ job, at: decision.catchUp });
  }

  await mapLimit(catchUps, 8, async ({ job, at }) => {
    const fired = await fireSlot(runtime, job.id, at, "CATCHUP");
    if (fired.kind === "enqueued") {
      result.caughtUp++;
      logger().info({ job_id: job.id, scheduled_at: at.toISOString(), log_id: fired.logId }, "missed slot caught up");
    }
  });
  return result;
}

/**
 * Slots after this instant count as missed. The latest fire record (capped at now: a record from a
 * clock far ahead must not hide the present); a job never fired counts from its creation. A later
 * edit of the definition (enabling included) restarts it: slots while it was disabled were not
 * missed. A DATE job's one slot counts until decided, even if created after its instant.
 */
function baselineOf(job: JobDefinition, lastFire: Date | undefined, now: Date): Date {
  if (job.triggerType === "DATE") return lastFire ? minDate(lastFire, now) : new Date(0);
  const base = lastFire ?? job.createdAt;
  return minDate(maxDate(base, job.updatedAt), now);
}

/**
 * The latest scheduledAt at or before `now` per job: one index probe per job (primary key job_id,
 * scheduled_at), one round trip. Records of slots still ahead (the planner fires them ahead) say
 * nothing about the past: counting them would hide a gap just before now.
 */
async function latestFireRecords(runtime: Runtime, jobIds: string[], now: Date): Promise<Map<string, Date>> {
  const rows = await runtime.prisma.$queryRaw<{ job_id: string; scheduled_at: Date }[]>`
    SELECT j.id AS job_id, f.scheduled_at
    FROM unnest(${jobIds}::text[]) AS j(id)
    CROSS JOIN LATERAL (
      SELECT scheduled_at FROM fire_records WHERE job_id = j.id AND scheduled_at <= ${now} ORDER BY scheduled_at DESC LIMIT 1
    ) f`;
  return new Map(rows.map((r) => [r.job_id, r.scheduled_at]));
}

const minDate = (a: Date, b: Date) => (a < b ? a : b);
const maxDate = (a: Date, b: Date) => (a > b ? a : b);

import { recordAudit, SYSTEM_ACTOR } from "../audit/index.ts";
import type { Prisma } from "../db/prisma.ts";
import { logger } from "../logging/logger.ts";
import { recordRunsPurged } from "../observability/record.ts";
import { purgeRunsBeyondNewest, purgeRunsCreatedBefore } from "../runs/index.ts";

export interface RetentionPolicy {
  /** Finished runs created before now minus this many days are deleted. */
  runRetentionDays: number;
  /** Audit events older than this many days are deleted. */
  auditRetentionDays: number;
  /** Rows per DELETE: short statements that never hold locks for long. */
  batchSize?: number;
  /** At most this many batches per kind in one tick; the next tick goes on. */
  maxBatches?: number;
}

export interface RetentionResult {
  byAge: number;
  /** Runs deleted by each job's keepLastRuns, by job id. */
  byKeepLast: Record<string, number>;
  auditEvents: number;
}

const DAY_MS = 86_400_000;

/** Repeats one bounded DELETE until it deletes less than a batch (or the batch budget is spent). */
async function inBatches(maxBatches: number, batchSize: number, deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const n = await deleteBatch();
    total += n;
    if (n < batchSize) break;
  }
  return total;
}

/**
 * The retention policy, applied from the minute tick (one process at a time): finished runs older
 * than RUN_RETENTION_DAYS, each job's runs beyond its keepLastRuns newest finished ones, and audit
 * events older than AUDIT_RETENTION_DAYS, in small batches. QUEUED and RUNNING runs are never
 * touched. What was deleted is counted in metrics and recorded in the audit log.
 */
export async function applyRetention(prisma: Prisma, policy: RetentionPolicy, now = new Date()): Promise<RetentionResult> {
  const batch = policy.batchSize ?? 500;
  const maxBatches = policy.maxBatches ?? 20;
  const runCutoff = new Date(now.getTime() - policy.runRetentionDays * DAY_MS);

  const byAge = await inBatches(maxBatches, batch, () => purgeRunsCreatedBefore(prisma, runCutoff, batch));

  const byKeepLast: Record<string, number> = {};
  const capped = await prisma.job.findMany({ where: { keepLastRuns: { not: null } }, select: { id: true, keepLastRuns: true } });
  for (const job of capped) {
    const n = await inBatches(maxBatches, batch, () => purgeRunsBeyondNewest(prisma, job.id, job.keepLastRuns!, batch));
    if (n > 0) byKeepLast[job.id] = n;
  }

  const auditCutoff = new Date(now.getTime() - policy.auditRetentionDays * DAY_MS);
  const auditEvents = await inBatches(maxBatches, batch, () => prisma.$executeRaw`
    DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < ${auditCutoff} ORDER BY id LIMIT ${batch})`);

  const keptLast = Object.values(byKeepLast).reduce((a, b) => a + b, 0);
  recordRunsPurged("age", byAge);
  recordRunsPurged("keep_last", keptLast);
  if (byAge || keptLast) {
    await recordAudit(prisma, {
      actor: SYSTEM_ACTOR,
      action: "runs.retention_purge",
      outcome: "SUCCESS",
      detail: { byAge, olderThan: runCutoff.toISOString(), byKeepLast },
    });
  }
  if (auditEvents) {
    await recordAudit(prisma, { actor: SYSTEM_ACTOR, action: "audit.retention_purge", outcome: "SUCCESS", detail: { deleted: auditEvents, olderThan: auditCutoff.toISOString() } });
  }
  if (byAge || keptLast || auditEvents) logger().info({ byAge, keptLast, auditEvents }, "retention purge");
  return { byAge, byKeepLast, auditEvents };
}

import type { Prisma } from "../db/prisma.ts";
import { runsActive } from "./metrics.ts";

/**
 * Sets the QUEUED/RUNNING gauges from the database at scrape time: every process reports the same
 * (cluster-wide) numbers, and the count uses the (status, id) index, so a scrape costs one query.
 */
export async function refreshRunGauges(prisma: Prisma): Promise<void> {
  const rows = await prisma.jobLog.groupBy({ by: ["status"], where: { status: { in: ["QUEUED", "RUNNING"] } }, _count: { _all: true } });
  for (const status of ["QUEUED", "RUNNING"] as const) {
    runsActive.set({ status }, rows.find((r) => r.status === status)?._count._all ?? 0);
  }
}

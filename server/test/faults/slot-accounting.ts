import { expect } from "vitest";
import type { Prisma } from "../../src/db/prisma.ts";
import { eventually } from "../harness/processes.ts";
import { FINAL } from "./fault-setup.ts";

/**
 * For an every-minute job: waits for a slot fired after now, then checks that every minute from
 * its first fire record to that one has a record (fired, caught up, or a recorded skip), and that
 * each run those records made finished SUCCESS. A slot inside an outage may be late; none is lost.
 */
export async function expectNoMissedMinutes(prisma: Prisma, jobId: string): Promise<void> {
  const after = new Date();
  await eventually(
    `a slot of ${jobId} after ${after.toISOString()} fired and finished`,
    async () => {
      const last = await prisma.fireRecord.findFirst({ where: { jobId, scheduledAt: { gt: after } }, orderBy: { scheduledAt: "desc" } });
      if (!last?.logId) return undefined;
      const log = await prisma.jobLog.findUnique({ where: { id: last.logId } });
      return log && FINAL.includes(log.status);
    },
    150_000,
    1000,
  );
  const records = await prisma.fireRecord.findMany({ where: { jobId }, orderBy: { scheduledAt: "asc" } });
  const minutes = records.map((r) => r.scheduledAt.getTime());
  const expected = Array.from({ length: (minutes.at(-1)! - minutes[0]!) / 60_000 + 1 }, (_, i) => minutes[0]! + i * 60_000);
  expect(minutes, "every minute has a fire record").toEqual(expected);
  const runs = await prisma.jobLog.findMany({ where: { id: { in: records.flatMap((r) => (r.logId ? [r.logId] : [])) } } });
  for (const run of runs) {
    if (run.scheduledAt && run.scheduledAt > after) continue;
    await eventually(`run ${run.id} to finish`, async () => FINAL.includes((await prisma.jobLog.findUniqueOrThrow({ where: { id: run.id } })).status), 90_000, 1000);
  }
  const ended = await prisma.jobLog.findMany({ where: { id: { in: runs.map((r) => r.id) } } });
  expect(ended.filter((r) => r.status !== "SUCCESS").map((r) => `${r.id} ${r.status} ${r.message}`), "runs of fired slots that did not succeed").toEqual([]);
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Prisma } from "../../src/db/prisma.ts";
import { migrate } from "../../src/db/migrator.ts";
import type { JobStatus } from "../../src/generated/prisma/enums.ts";
import { registry } from "../../src/observability/metrics.ts";
import { applyRetention } from "../../src/retention/index.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { sample } from "../observability/scrape.ts";

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let prisma: Prisma;
const NOW = new Date("2026-11-29T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

beforeAll(async () => {
  db = await createScratchDatabase("connecthub_retention");
  await migrate(db.url);
  prisma = createPrisma(db.url, 2);
  await prisma.job.createMany({
    data: [
      { id: "r.old", cronExpr: "0 3 * * *", handlerPath: "x:Y" },
      { id: "r.capped", cronExpr: "0 3 * * *", handlerPath: "x:Y", keepLastRuns: 2 },
    ],
  });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function run(jobId: string, status: JobStatus, createdAt: Date) {
  return prisma.jobLog.create({ data: { jobId, status, trigger: "MANUAL", snapshotParams: {}, createdAt } });
}

const purged = async (reason: string) => sample(await registry.metrics(), "connecthub_runs_purged_total", { reason });

describe("run retention", () => {
  it("deletes finished runs past RUN_RETENTION_DAYS in batches, never QUEUED or RUNNING ones", async () => {
    for (let i = 0; i < 7; i++) await run("r.old", "SUCCESS", daysAgo(100 + i));
    const failed = await run("r.old", "FAILURE", daysAgo(95));
    const queued = await run("r.old", "QUEUED", daysAgo(120));
    const running = await run("r.old", "RUNNING", daysAgo(120));
    const recent = await run("r.old", "SUCCESS", daysAgo(10));
    const before = await purged("age");

    const result = await applyRetention(prisma, { runRetentionDays: 90, auditRetentionDays: 365, batchSize: 3 }, NOW);

    expect(result.byAge).toBe(8);
    const left = (await prisma.jobLog.findMany({ where: { jobId: "r.old" }, select: { id: true } })).map((l) => l.id).sort((a, b) => a - b);
    expect(left).toEqual([queued.id, running.id, recent.id]);
    expect(left).not.toContain(failed.id);
    expect((await purged("age")) - before).toBe(8);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "runs.retention_purge" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ actorKind: "SYSTEM", actor: "system", outcome: "SUCCESS", detail: { byAge: 8 } });
  });

  it("keeps each capped job's last N finished runs, and its active ones", async () => {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await run("r.capped", "SUCCESS", daysAgo(5 - i)));
    const active = await run("r.capped", "RUNNING", daysAgo(0));
    const result = await applyRetention(prisma, { runRetentionDays: 90, auditRetentionDays: 365 }, NOW);
    expect(result.byKeepLast).toEqual({ "r.capped": 3 });
    const left = (await prisma.jobLog.findMany({ where: { jobId: "r.capped" }, select: { id: true } })).map((l) => l.id).sort((a, b) => a - b);
    expect(left).toEqual([runs[3]!.id, runs[4]!.id, active.id]);
  });

  it("purges audit events past AUDIT_RETENTION_DAYS and records that it did", async () => {
    await prisma.auditEvent.create({ data: { actorKind: "CLI", actor: "cli", action: "cli.backup", outcome: "SUCCESS", at: daysAgo(400) } });
    const result = await applyRetention(prisma, { runRetentionDays: 90, auditRetentionDays: 365 }, NOW);
    expect(result.auditEvents).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "cli.backup" } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "audit.retention_purge" } })).toBe(1);
    const again = await applyRetention(prisma, { runRetentionDays: 90, auditRetentionDays: 365 }, NOW);
    expect(again).toEqual({ byAge: 0, byKeepLast: {}, auditEvents: 0 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, EXAMPLE_HANDLER, postGraphql, startApiFixture, type ApiFixture } from "./api-harness.ts";

// The schedule history: Job.fireRecords, newest slot first, with the run made for each slot.

let f: ApiFixture;
const JOB = "history.job";
let runId: number;
beforeAll(async () => {
  f = await startApiFixture({}, "api");
  const prisma = f.app.runtime.prisma;
  await prisma.job.create({ data: { id: JOB, cronExpr: "*/5 * * * *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "x" } } });
  runId = (await prisma.jobLog.create({ data: { jobId: JOB, trigger: "CRON", snapshotParams: {}, status: "SUCCESS" } })).id;
  const slot = (minute: number) => new Date(Date.UTC(2026, 10, 1, 8, minute));
  await prisma.fireRecord.createMany({
    data: [
      { jobId: JOB, scheduledAt: slot(0), outcome: "FIRED", logId: runId },
      { jobId: JOB, scheduledAt: slot(5), outcome: "SKIPPED_OVERLAP", note: "run #1 was still RUNNING" },
      { jobId: JOB, scheduledAt: slot(10), outcome: "SKIPPED_MISFIRE", note: "missed by 300 s (grace 60 s)" },
      { jobId: JOB, scheduledAt: slot(15), outcome: "CATCHUP", logId: 987654 },
    ],
  });
});
afterAll(async () => {
  await f?.close();
});

const QUERY = `query($after: String) { job(id: "${JOB}") {
  nextFireTimes(count: 10)
  fireRecords(first: 3, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { slot outcome reason logId run { id status } } } }
} }`;

describe("Job.fireRecords", () => {
  it("lists every decided slot newest first, with outcome, reason and run, page by page", async () => {
    const first = await postGraphql(f.baseUrl, QUERY, {}, bearer(f.tokens.VIEWER));
    const page = first.json.data.job.fireRecords;
    expect(page.totalCount).toBe(4);
    expect(page.edges.map((e: { node: { outcome: string } }) => e.node.outcome)).toEqual(["CATCHUP", "SKIPPED_MISFIRE", "SKIPPED_OVERLAP"]);
    expect(page.edges[0].node).toMatchObject({ slot: "2026-11-01T08:15:00.000Z", logId: 987654, run: null });
    expect(page.edges[1].node.reason).toContain("missed by 300 s");
    expect(page.pageInfo.hasNextPage).toBe(true);

    const second = await postGraphql(f.baseUrl, QUERY, { after: page.pageInfo.endCursor }, bearer(f.tokens.VIEWER));
    const rest = second.json.data.job.fireRecords;
    expect(rest.edges).toHaveLength(1);
    expect(rest.edges[0].node).toMatchObject({ outcome: "FIRED", reason: null, run: { id: runId, status: "SUCCESS" } });
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(first.json.data.job.nextFireTimes).toHaveLength(10);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, EXAMPLE_HANDLER, postGraphql, startApiFixture, type ApiFixture } from "./api-harness.ts";

// Runs are listed by the time that matters (slot, else creation), and a job's "last run" is the
// newest run that started: a planned run or one cancelled before it started is not it.

let f: ApiFixture;
const JOB = "order.job";
const ids: Record<string, number> = {};
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 8, minute));

beforeAll(async () => {
  f = await startApiFixture({}, "api");
  const prisma = f.app.runtime.prisma;
  await prisma.job.create({ data: { id: JOB, cronExpr: "*/5 * * * *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "x" }, enabled: false } });
  const run = (name: string, data: Record<string, unknown>) =>
    prisma.jobLog.create({ data: { jobId: JOB, snapshotParams: {}, trigger: "CRON", ...data } }).then((l) => (ids[name] = l.id));
  // Created in this order (ids ascending); the times that matter say otherwise.
  await run("slot10", { status: "SUCCESS", scheduledAt: at(10), createdAt: at(9), startedAt: at(10), finishedAt: at(11) });
  await run("manual20", { status: "SUCCESS", trigger: "MANUAL", createdAt: at(20), startedAt: at(20), finishedAt: at(21) });
  // A catch-up for the 08:05 slot, created late: it belongs below the 08:10 slot.
  await run("catchup05", { status: "SUCCESS", trigger: "CATCHUP", scheduledAt: at(5), createdAt: at(22), startedAt: at(22), finishedAt: at(23) });
  await run("cancelled", { status: "CANCELLED", trigger: "MANUAL", createdAt: at(24), finishedAt: at(24) });
  await run("planned30", { status: "QUEUED", scheduledAt: at(30), createdAt: at(29) });
});
afterAll(async () => {
  await f?.close();
});

const LOGS = `query($after: String, $jobId: String) {
  jobLogs(first: 2, after: $after, filter: { jobId: $jobId }) { pageInfo { hasNextPage endCursor } edges { node { id } } }
}`;

async function allPages(query: string, pick: (data: any) => any): Promise<number[]> {
  const seen: number[] = [];
  let after: string | null = null;
  for (;;) {
    const { json } = await postGraphql(f.baseUrl, query, { after, jobId: JOB }, bearer(f.tokens.VIEWER));
    const page = pick(json.data);
    seen.push(...page.edges.map((e: { node: { id: number } }) => e.node.id));
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
  }
}

describe("run order and the last run", () => {
  const expected = () => [ids.planned30, ids.cancelled, ids.manual20, ids.slot10, ids.catchup05];

  it("jobLogs lists runs by COALESCE(scheduledAt, createdAt) desc, then id, across cursor pages", async () => {
    expect(await allPages(LOGS, (d) => d.jobLogs)).toEqual(expected());
  });

  it("Job.logs uses the same order", async () => {
    const query = `query($after: String, $jobId: String!) { job(id: $jobId) { logs(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } } }`;
    expect(await allPages(query, (d) => d.job.logs)).toEqual(expected());
  });

  it("a run whose slot changes moves with it (the sort key follows scheduledAt)", async () => {
    const prisma = f.app.runtime.prisma;
    await prisma.jobLog.update({ where: { id: ids.planned30 }, data: { scheduledAt: at(1) } });
    expect(await allPages(LOGS, (d) => d.jobLogs)).toEqual([ids.cancelled, ids.manual20, ids.slot10, ids.catchup05, ids.planned30]);
    await prisma.jobLog.update({ where: { id: ids.planned30 }, data: { scheduledAt: at(30) } });
  });

  it("Job.lastRun is the newest run that started, never a planned or never-started one", async () => {
    const { json } = await postGraphql(f.baseUrl, `{ job(id: "${JOB}") { lastRun { id status startedAt } } }`, {}, bearer(f.tokens.VIEWER));
    expect(json.data.job.lastRun).toMatchObject({ id: ids.catchup05, status: "SUCCESS" });
  });
});

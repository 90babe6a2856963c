import { afterEach, describe, expect, it } from "vitest";
import { bearer, EXAMPLE_HANDLER, postGraphql, startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";
import { sleep, waitFor } from "./scheduler-harness.ts";

let fixture: ApiFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

const JOBS = 5;
const READERS = 10;
/** How long the jobs run under the readers; long enough for the planner to plan past its first window. */
const SPAN_MS = 12_000;
/** A run whose slot is older than this must have started by the end (it is not piling up). */
const SETTLE_MS = 5_000;

const READS = [
  "{ jobs(first: 25){ totalCount edges { node { id enabled lastRun { status } } } } }",
  "{ jobLogs(first: 30){ totalCount edges { node { id status jobId message } } } }",
  '{ jobLogs(first: 30, filter: {jobId: "sec.1"}){ totalCount edges { node { id status } } } }',
];

/** Reads the API in a loop until `until`; returns how many requests failed and the first failure. */
async function reader(baseUrl: string, token: string, until: number, start: number): Promise<{ ok: number; failed: string[] }> {
  const out = { ok: 0, failed: [] as string[] };
  for (let k = start; Date.now() < until; k++) {
    try {
      const res = await postGraphql(baseUrl, READS[k % READS.length]!, {}, bearer(token));
      if (res.status === 200 && !res.json.errors) out.ok++;
      else out.failed.push(`${res.status} ${res.text.slice(0, 200)}`);
    } catch (err) {
      out.failed.push(String(err));
    }
  }
  return out;
}

// Acceptance 08: several every-second jobs created through the API one after another, so the
// planner plans each in its own pass (an instant used to get one queue job of runs per job; now the
// later ones join the instant's queue job while no worker holds it, when it has room). With one
// queue slot for queue jobs of runs, each held until its instant, the worker took about one of them
// per queue poll and the runs piled up QUEUED (measured: 22 of 228 runs started in 20 s).
describe("every-second jobs under concurrent API reads (in-process app, PostgreSQL queue)", () => {
  it("keep starting their runs: they end SUCCESS, none is left QUEUED past its slot, none is withdrawn", async () => {
    fixture = await startApiFixture();
    const { baseUrl, tokens, app } = fixture;
    const { prisma } = app.runtime;
    // Far enough ahead that every job is planned before its first slot (none starts as a misfire).
    const startAt = new Date(Math.ceil((Date.now() + 6000) / 1000) * 1000);
    for (let n = 1; n <= JOBS; n++) {
      const res = await postGraphql(
        baseUrl,
        `mutation($input: CreateJobInput!){ createJob(input: $input){ __typename ... on Error { message } } }`,
        { input: { id: `sec.${n}`, enabled: true, triggerType: "INTERVAL", intervalSeconds: 1, startAt: startAt.toISOString(), handlerPath: EXAMPLE_HANDLER, publicCfg: { name: `s${n}` } } },
        bearer(tokens.ADMIN),
      );
      expect(res.json.data?.createJob?.__typename, res.text).toBe("MutationCreateJobSuccess");
      // As an operator creating them one by one: the planner plans each job in its own pass.
      await waitFor(async () => (await prisma.jobLog.count({ where: { jobId: `sec.${n}` } })) > 0, `the planner to plan sec.${n}`);
    }
    // Runs planned in separate passes for one instant join that instant's queue job while no worker
    // has locked it (fire-planned-slots.ts): several jobs' runs share one.
    const groups = await prisma.jobLog.groupBy({ by: ["scheduledAt", "queueJobId"], _count: true });
    expect(Math.max(...groups.map((g) => g._count))).toBeGreaterThan(1);

    await sleep(Math.max(0, startAt.getTime() - Date.now()));
    const until = Date.now() + SPAN_MS;
    const readers = await Promise.all(Array.from({ length: READERS }, (_, i) => reader(baseUrl, tokens.VIEWER, until, i)));
    const end = new Date();

    const failed = readers.flatMap((r) => r.failed);
    expect(failed, failed[0]).toEqual([]);
    expect(readers.reduce((n, r) => n + r.ok, 0)).toBeGreaterThan(READERS);

    // Every slot due well before the end has left QUEUED (given the worker time to finish those it started).
    const due = new Date(end.getTime() - SETTLE_MS);
    const behind = await prisma.jobLog.findMany({ where: { scheduledAt: { lt: due }, status: "QUEUED" }, select: { id: true, jobId: true, scheduledAt: true } });
    expect(behind, `${behind.length} runs still QUEUED more than ${SETTLE_MS} ms after their slot`).toEqual([]);
    await waitFor(async () => (await prisma.jobLog.count({ where: { scheduledAt: { lt: due }, status: "RUNNING" } })) === 0, "runs started before the end to finish", 15_000);

    const byStatus = await prisma.jobLog.groupBy({ by: ["jobId", "status"], where: { scheduledAt: { lt: due } }, _count: true });
    const count = (jobId: string, status: string) => byStatus.find((g) => g.jobId === jobId && g.status === status)?._count ?? 0;
    const slotsPerJob = Math.floor((due.getTime() - startAt.getTime()) / 1000);
    for (let n = 1; n <= JOBS; n++) {
      // The due slots of every job ran and succeeded (the example handler never fails). A slot or
      // two may be skipped by the overlap rule when a loaded machine starts a run late.
      expect(count(`sec.${n}`, "SUCCESS"), `sec.${n}: ${JSON.stringify(byStatus.filter((g) => g.jobId === `sec.${n}`))}`).toBeGreaterThanOrEqual(slotsPerJob - 2);
    }
    const withdrawn = await prisma.jobLog.findMany({ where: { status: "CANCELLED", message: { contains: "delet", mode: "insensitive" } }, select: { id: true, message: true } });
    expect(withdrawn).toEqual([]);
  }, 90_000);
});

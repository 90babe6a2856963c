import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createPrisma } from "../../src/db/prisma.ts";
import type { EventMap } from "../../src/events/event-map.ts";
import { createPostgresEventBus } from "../../src/events/postgres-event-bus.ts";
import type { QueueBackendName } from "../../src/queue/queue.ts";
import { createApiToken } from "../../src/security/auth/index.ts";
import { createScratchDatabase } from "../harness/postgres.ts";
import { deployment, eventually, gql, ready, spawnRole, type RoleProcess } from "../harness/processes.ts";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => undefined);
});

/** Far beyond the test's timeout: a run that starts during the test was woken, not polled. */
const POLL_MS = 10 * 60_000;
const NOOP = "test_jobs.scheduler-noop:SchedulerNoopJob";

interface RunNow {
  runNow: { data?: { id: number } };
}
interface Retry {
  retryLog: { data?: { id: number } };
}

describe.each<QueueBackendName>(["postgres", "mongodb"])("wake-ups across processes, %s queue", (backend) => {
  it("a Run Now and a retry made through the api process start on an idle worker process that polls every 10 minutes", { timeout: 180_000 }, async () => {
    const db = await createScratchDatabase("connecthub_wake");
    cleanups.push(db.drop);
    const mongo = backend === "mongodb" ? `${inject("mongoUrl")}/wake_${randomBytes(4).toString("hex")}` : "";
    const deploy = await deployment(db.url, { MONGODB_URL: mongo, QUEUE_POLL_MS: String(POLL_MS), LOG_LEVEL: "warn" });
    cleanups.push(() => deploy.cleanup());
    const api = await spawnRole("api", deploy);
    cleanups.push(() => api.stop());
    await eventually(`the api process\n${api.output()}`, async () => (await ready(api))?.status === 200, 120_000);
    // The api process has migrated: the worker starts on a ready database.
    const worker = await spawnRole("worker", deploy);
    cleanups.push(() => worker.stop());
    const prisma = createPrisma(db.url);
    cleanups.push(() => prisma.$disconnect());
    await prisma.job.create({ data: { id: "wake.noop", handlerPath: NOOP, enabled: false, allowOverlap: true } });
    const { token } = await createApiToken(prisma, "wake-operator", "OPERATOR");
    // A third process's view: QUEUED (sent by the api process) must reach it before RUNNING (sent by the worker).
    const bus = await createPostgresEventBus(db.url, { listenTo: ["jobLog.status"] });
    cleanups.push(() => bus.close());
    const heard: EventMap["jobLog.status"][] = [];
    bus.subscribe("jobLog.status", (e) => heard.push(e));

    const finished = (id: number, who: RoleProcess) =>
      eventually(`run ${id}\n${who.output()}`, async () => (await prisma.jobLog.findUniqueOrThrow({ where: { id } })).status === "SUCCESS" || undefined, 120_000, 100);
    const runNow = async () => (await gql<{ data: RunNow }>(api, token, `mutation { runNow(jobId: "wake.noop") { ... on MutationRunNowSuccess { data { id } } } }`)).data.runNow.data!.id;

    // The first run may be found by the worker's only poll, the one at its start; once it has run,
    // that poll is over and the next is ten minutes away.
    await finished(await runNow(), worker);
    await finished(await runNow(), worker);
    const first = await prisma.jobLog.findFirstOrThrow({ where: { jobId: "wake.noop" }, orderBy: { id: "asc" } });
    const retry = await gql<{ data: Retry }>(api, token, `mutation($id: Int!) { retryLog(logId: $id) { ... on MutationRetryLogSuccess { data { id } } } }`, { id: first.id });
    await finished(retry.data.retryLog.data!.id, worker);

    const runs = await prisma.jobLog.findMany({ where: { jobId: "wake.noop" } });
    expect(runs).toHaveLength(3);
    // Executed by the worker process, not by the api process (which runs no queue jobs).
    expect(new Set(runs.map((r) => r.workerId)).size).toBe(1);
    expect(runs.map((r) => r.trigger).sort()).toEqual(["MANUAL", "MANUAL", "RETRY"]);
    for (const run of runs) {
      await eventually(`run ${run.id}'s SUCCESS event`, async () => heard.some((e) => e.logId === run.id && e.status === "SUCCESS") || undefined, 30_000, 50);
      expect(heard.filter((e) => e.logId === run.id).map((e) => e.status)).toEqual(["QUEUED", "RUNNING", "SUCCESS"]);
    }
  });
});

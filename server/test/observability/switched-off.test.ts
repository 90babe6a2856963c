import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registry } from "../../src/observability/index.ts";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { bearer, postGraphql, startApiFixture, type ApiFixture, ADMIN_PASSWORD } from "../graphql/api-harness.ts";

// METRICS_ENABLED=false and AUDIT_ENABLED=false (what the Run Now cost benchmark compares against):
// runs, GraphQL operations and logins leave no metric and no audit event, and /metrics says why.

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture({ EXTENSION_ROOTS: TEST_JOBS_ROOT, METRICS_ENABLED: "false", AUDIT_ENABLED: "false", METRICS_JOB_LABELS: "true" });
  for (const [id, handlerPath] of [
    ["off.ok", "test_jobs.behaviours:EchoJob"],
    ["off.fail", "test_jobs.behaviours:FailWithCauseJob"],
  ]) {
    await f.app.runtime.prisma.job.create({ data: { id: id!, handlerPath: handlerPath!, cronExpr: "0 3 * * *", enabled: false, publicCfg: {} } });
  }
});
afterAll(async () => {
  await f?.close();
});

async function runNowAndWait(jobId: string): Promise<string> {
  const res = await postGraphql(f.baseUrl, `mutation OffRunNow($j: String!) { runNow(jobId: $j) { ... on MutationRunNowSuccess { data { id } } } }`, { j: jobId }, bearer(f.tokens.OPERATOR));
  const id = res.json.data.runNow.data.id as number;
  for (let i = 0; i < 300; i++) {
    const log = await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id } });
    if (!["QUEUED", "RUNNING"].includes(log.status)) return log.status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} did not end`);
}

/** Every series of `name` in this process's registry (the one /metrics would serve). */
async function series(name: string) {
  return (await registry.getSingleMetric(name)?.get())?.values ?? [];
}

describe("metrics and audit switched off", () => {
  it("runs, GraphQL operations and logins record no metric and no audit event; /metrics answers 404 saying why", async () => {
    expect(await runNowAndWait("off.ok")).toBe("SUCCESS");
    expect(await runNowAndWait("off.fail")).toBe("FAILURE");
    const login = await fetch(`${f.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }) });
    expect(login.status).toBe(200);
    await fetch(`${f.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: "wrong" }) });

    const scrape = await fetch(`${f.baseUrl}/metrics`, { headers: bearer(f.tokens.ADMIN) });
    expect(scrape.status).toBe(404);
    expect(await scrape.text()).toContain("METRICS_ENABLED=false");

    expect((await series("connecthub_runs_finished_total")).filter((v) => String(v.labels.job).startsWith("off."))).toEqual([]);
    expect((await series("connecthub_run_duration_seconds")).filter((v) => String(v.labels.job).startsWith("off."))).toEqual([]);
    expect((await series("connecthub_graphql_operations_total")).filter((v) => v.labels.operation === "OffRunNow")).toEqual([]);
    // Process metrics are never started either (they watch the event loop and GC).
    expect(registry.getSingleMetric("process_cpu_user_seconds_total")).toBeUndefined();

    expect(await f.app.runtime.prisma.auditEvent.count()).toBe(0);
  });
});

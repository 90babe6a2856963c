import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { bearer, postGraphql, startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";
import { startHttpStandIn, type HttpStandIn } from "../stand-ins/http-stand-in.ts";

let f: ApiFixture;
let external: HttpStandIn;
let hooks: HttpStandIn;
beforeAll(async () => {
  external = await startHttpStandIn(() => ({ status: 200, body: { pong: true } }));
  hooks = await startHttpStandIn(() => ({ status: 200, body: { ok: true } }));
  f = await startApiFixture({ EXTENSION_ROOTS: TEST_JOBS_ROOT });
  await f.app.runtime.prisma.job.create({
    data: { id: "t.http", enabled: false, cronExpr: "0 3 * * *", handlerPath: "test_jobs.behaviours:HttpGetJob", publicCfg: { url: external.url }, webhookUrl: `${hooks.url}/hook`, webhookWhen: "ALWAYS" },
  });
});
afterAll(async () => {
  await f?.close();
  await external?.close();
  await hooks?.close();
});

async function ended(logId: number) {
  for (let i = 0; i < 300; i++) {
    const log = await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } });
    if (!["QUEUED", "RUNNING"].includes(log.status)) return log;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${logId} did not end`);
}

const traceIdOf = (traceparent: unknown) => /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(traceparent))?.[1];

describe("run trace ids", () => {
  it("gives each run a W3C trace id that its outbound calls, webhook and run log carry", async () => {
    const res = await postGraphql(f.baseUrl, `mutation { runNow(jobId: "t.http") { ... on MutationRunNowSuccess { data { id traceId } } } }`, {}, bearer(f.tokens.OPERATOR));
    const { id, traceId } = res.json.data.runNow.data;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const log = await ended(id);
    expect(log.status).toBe("SUCCESS");
    expect(log.traceId).toBe(traceId);

    expect(external.requests).toHaveLength(1);
    expect(traceIdOf(external.requests[0]!.headers.traceparent)).toBe(traceId);

    for (let i = 0; i < 100 && hooks.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(hooks.requests).toHaveLength(1);
    expect((hooks.requests[0]!.json as { trace_id: string }).trace_id).toBe(traceId);
    expect(traceIdOf(hooks.requests[0]!.headers.traceparent)).toBe(traceId);

    expect(log.runLog).toContain(`trace ${traceId}`);
    const read = await postGraphql(f.baseUrl, `query($id: Int!) { jobLog(id: $id) { traceId } }`, { id }, bearer(f.tokens.VIEWER));
    expect(read.json.data.jobLog.traceId).toBe(traceId);
  });

  it("gives two runs different trace ids, and links the run to the request that started it in the audit log", async () => {
    const a = await postGraphql(f.baseUrl, `mutation { runNow(jobId: "t.http") { ... on MutationRunNowSuccess { data { id traceId } } } }`, {}, bearer(f.tokens.OPERATOR));
    const run = a.json.data.runNow.data;
    await ended(run.id);
    const first = await f.app.runtime.prisma.jobLog.findFirstOrThrow({ where: { jobId: "t.http" }, orderBy: { id: "asc" } });
    expect(run.traceId).not.toBe(first.traceId);
    const audit = await f.app.runtime.prisma.auditEvent.findFirstOrThrow({ where: { action: "run.now", detail: { equals: { logId: run.id } } } });
    expect(audit.traceId).toBe(run.traceId);
  });
});

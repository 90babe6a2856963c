import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSpan } from "../../src/observability/tracing.ts";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { bearer, postGraphql, startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";
import { startHttpStandIn, type HttpStandIn } from "../stand-ins/http-stand-in.ts";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

let collector: HttpStandIn;
let external: HttpStandIn;
beforeAll(async () => {
  collector = await startHttpStandIn(() => ({ status: 200, body: {} }));
  external = await startHttpStandIn(() => ({ status: 200, body: { pong: true } }));
});
afterAll(async () => {
  await collector?.close();
  await external?.close();
});

function exportedSpans(): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const req of collector.requests) {
    const body = req.json as { resourceSpans?: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> } | undefined;
    for (const rs of body?.resourceSpans ?? []) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
  }
  return spans;
}

describe("OpenTelemetry span export", () => {
  it("exports nothing while OTEL_EXPORTER_OTLP_ENDPOINT is unset", () => {
    expect(startSpan("run", "internal", {}, "4bf92f3577b34da6a3ce929d0e0e4736")).toBeNull();
  });

  it("with OTEL_EXPORTER_OTLP_ENDPOINT, exports the run, its outbound call and the GraphQL operation in the run's trace", async () => {
    let f: ApiFixture | undefined = await startApiFixture({ EXTENSION_ROOTS: TEST_JOBS_ROOT, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
    try {
      await f.app.runtime.prisma.job.create({
        data: { id: "o.http", enabled: false, cronExpr: "0 3 * * *", handlerPath: "test_jobs.behaviours:HttpGetJob", publicCfg: { url: external.url } },
      });
      const res = await postGraphql(f.baseUrl, `mutation StartTraced { runNow(jobId: "o.http") { ... on MutationRunNowSuccess { data { id traceId } } } }`, {}, bearer(f.tokens.OPERATOR));
      const { id, traceId } = res.json.data.runNow.data;
      for (let i = 0; i < 300; i++) {
        const log = await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id } });
        if (!["QUEUED", "RUNNING"].includes(log.status)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // Stopping the app flushes the batch of spans.
      await f.close();
      f = undefined;

      expect(collector.requests.every((r) => r.path === "/v1/traces")).toBe(true);
      const spans = exportedSpans();
      const run = spans.find((s) => s.name === "run");
      expect(run?.traceId).toBe(traceId);
      const http = spans.find((s) => s.name === "HTTP GET");
      expect(http).toMatchObject({ traceId, parentSpanId: run!.spanId });
      expect(external.requests[0]!.headers.traceparent).toBe(`00-${traceId}-${http!.spanId}-01`);
      expect(spans.some((s) => s.name === "graphql mutation StartTraced")).toBe(true);
    } finally {
      await f?.close();
    }
  });
});

// Per-call CPU of the metrics hooks on the Run Now path (api: the GraphQL plugin's onExecute/onExecuteDone;
// worker: recordRunStarted + recordRunFinished), process.cpuUsage over N calls, metrics on.
import { parse } from "graphql";
import { configureMetrics } from "../../server/src/observability/metrics.ts";
import { recordRunFinished, recordRunStarted } from "../../server/src/observability/record.ts";
import { graphqlMetricsPlugin } from "../../server/src/observability/graphql-metrics-plugin.ts";

const N = Number(process.env.N ?? 100_000);
configureMetrics({ enabled: true, jobLabels: process.env.JOB_LABELS === "1" });
const doc = parse(`mutation($j: String!) { runNow(jobId: $j) { __typename ... on MutationRunNowSuccess { data { id } } ... on Error { message } } }`);
const plugin = graphqlMetricsPlugin() as { onExecute: (a: unknown) => { onExecuteDone: (a: unknown) => void } };
const run = { jobId: "bench.burst", trigger: "MANUAL" as const, createdAt: new Date(Date.now() - 20), scheduledAt: null };

function measure(name: string, fn: () => void) {
  for (let i = 0; i < 20_000; i++) fn();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) fn();
  const c = process.cpuUsage(c0);
  console.log(`${name}: ${((c.user + c.system) / N).toFixed(2)} µs CPU per call`);
}
measure("graphql plugin (onExecute + onExecuteDone)", () => {
  plugin.onExecute({ args: { document: doc, operationName: undefined } }).onExecuteDone({ result: { data: {} } });
});
measure("worker recordRunStarted + recordRunFinished", () => {
  recordRunStarted(run, new Date());
  recordRunFinished(run, "SUCCESS", 0.004);
});

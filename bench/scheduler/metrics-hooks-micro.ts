// Per-call CPU of the metrics hooks on the Run Now path (api: the GraphQL plugin's onExecute/onExecuteDone;
// worker: recordRunStarted + recordRunFinished), process.cpuUsage over N calls, metrics on; then a
// whole Yoga request (trivial schema, a Run Now-shaped mutation) without and with the plugin,
// alternating blocks. `node --import tsx bench/scheduler/metrics-hooks-micro.ts` (N=100000).
import { parse } from "graphql";
import { createSchema, createYoga } from "graphql-yoga";
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

const schema = createSchema({ typeDefs: `type Query { a: Int } type Mutation { runNow(jobId: String!): Int }`, resolvers: { Mutation: { runNow: async () => 1 } } });
const yogas = { off: createYoga({ schema, logging: false }), on: createYoga({ schema, logging: false, plugins: [graphqlMetricsPlugin()] }) };
const body = JSON.stringify({ query: `mutation($j: String!) { runNow(jobId: $j) }`, variables: { j: "x" } });
const PER_BLOCK = 5000;
async function yogaBlock(side: "off" | "on"): Promise<number> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < PER_BLOCK; i++) {
    const r = await yogas[side].fetch("http://bench/graphql", { method: "POST", headers: { "content-type": "application/json" }, body });
    await r.text();
  }
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / PER_BLOCK;
}
for (const side of ["off", "on"] as const) await yogaBlock(side);
const perRequest = { off: [] as number[], on: [] as number[] };
for (let i = 0; i < 10; i++) for (const side of i % 2 ? (["on", "off"] as const) : (["off", "on"] as const)) perRequest[side].push(await yogaBlock(side));
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`Yoga request (10 alternating blocks of ${PER_BLOCK}, median): without the plugin ${med(perRequest.off).toFixed(1)} µs CPU, with it ${med(perRequest.on).toFixed(1)} µs`);

// npm run bench:api [-- queries|subscriptions] [--explain]   (default: both; --explain prints each
// list query's SQL with EXPLAIN ANALYZE after measuring)
// Needs PostgreSQL at TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test).
// On the shared machine run it under the benchmark lock:
//   flock /tmp/connecthub-bench.lock npm run bench:api
import { benchQueries } from "./query-bench.ts";
import type { Row } from "./stats.ts";
import { benchSubscriptions } from "./subscription-bench.ts";

const which = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "all";
const rows: Row[] = [];

/** A part that fails still leaves its row, so the other part's numbers are not lost. */
async function part(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    console.error(error);
    rows.push([name, "-", `FAILED: ${(error as Error).message.split("\n")[0]}`, "-"]);
  }
}

if (which === "all" || which === "queries") {
  await part("queries", () =>
    benchQueries(
      {
        jobs: 1000,
        logs: 200_000,
        warmup: Number(process.env.BENCH_WARMUP ?? 50),
        iterations: Number(process.env.BENCH_ITERATIONS ?? 300),
        explain: process.argv.includes("--explain"),
      },
      rows,
    ),
  );
}
if (which === "all" || which === "subscriptions") {
  await part("subscriptions", () =>
    benchSubscriptions({ single: { lines: 500, intervalMs: 10 }, fanOut: { subscribers: 200, lines: 200, intervalMs: 25 } }, rows),
  );
}

console.log("\n| part | setup | result | target |\n|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
process.exit(0);

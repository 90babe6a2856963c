import { GraphQLError } from "graphql";
import { migrate } from "../../server/src/db/migrator.ts";
import { createGraphQLServer } from "../../server/src/graphql/yoga.ts";
import { createApiToken, type Principal } from "../../server/src/security/auth/index.ts";
import { startApp, tempDataDir } from "../../server/test/harness/app.ts";
import { createScratchDatabase } from "../../server/test/harness/postgres.ts";
import { JOB_LOGS_QUERY, JOBS_PAGE, JOBS_QUERY, RUNS_PAGE } from "./queries.ts";
import { jobIdOf, seedJobsAndLogs } from "./seed.ts";
import { explain, traceSql } from "./sql-trace.ts";
import { percentile, summary, type Row } from "./stats.ts";

export interface QueryBenchOptions {
  jobs: number;
  logs: number;
  warmup: number;
  iterations: number;
  /** Print each case's SQL with its duration and EXPLAIN ANALYZE plan after measuring. */
  explain?: boolean;
}

interface Case {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** Checks the answer is the page asked for (a fast wrong answer is not a result). */
  check: (data: any) => void;
}

function expectPage(field: string, size: number, predicate: (node: any) => boolean = () => true) {
  return (data: any) => {
    const edges = data?.[field]?.edges;
    if (!Array.isArray(edges) || edges.length !== size || !edges.every((e: any) => predicate(e.node))) {
      throw new Error(`unexpected ${field} page: ${JSON.stringify(data).slice(0, 500)}`);
    }
  };
}

/**
 * List queries on a seeded database, measured two ways per iteration, one after the other:
 * - execute: in-process through the app's own Yoga factory (`createGraphQLServer(runtime)`, the
 *   same envelop plugins as the server): parse + validate + execute (all SQL) + JSON.stringify;
 *   no HTTP and no token lookup. This is the server-side time.
 * - http: POST /graphql on loopback to the running app with a Bearer token, client in the same
 *   process: the above plus token authentication (one indexed SQL lookup), HTTP and the client.
 */
export async function benchQueries(opts: QueryBenchOptions, rows: Row[]): Promise<void> {
  const db = await createScratchDatabase("connecthub_bench_api");
  const data = tempDataDir();
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    await migrate(db.url);
    const seedStart = performance.now();
    await seedJobsAndLogs(db.url, opts.jobs, opts.logs);
    console.log(`seeded ${opts.jobs} jobs and ${opts.logs} logs in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    app = await startApp({ DATABASE_URL: db.url, DATA_DIR: data.dir, ADMIN_USERNAME: "admin", ADMIN_PASSWORD: "bench password 1234", TIMEZONE: "UTC" }, "api");
    const { token, record } = await createApiToken(app.runtime.prisma, "bench-viewer", "VIEWER");
    const principal: Principal = { kind: "API_TOKEN", id: record.id, name: record.name, role: record.role };
    const yoga = createGraphQLServer(app.runtime);
    const url = `${app.baseUrl}/graphql`;

    const someJob = jobIdOf(42);
    const cases: Case[] = [
      { name: "jobs first page", query: JOBS_QUERY, variables: { first: JOBS_PAGE }, check: expectPage("jobs", JOBS_PAGE) },
      { name: "jobLogs first page", query: JOB_LOGS_QUERY, variables: { first: RUNS_PAGE }, check: expectPage("jobLogs", RUNS_PAGE) },
      {
        // Diagnosis: the same page without the exact total (COUNT(*) over every row).
        name: "jobLogs first page without totalCount",
        query: JOB_LOGS_QUERY.replace(/^\s*totalCount\n/m, ""),
        variables: { first: RUNS_PAGE },
        check: expectPage("jobLogs", RUNS_PAGE),
      },
      {
        name: "jobLogs by job",
        query: JOB_LOGS_QUERY,
        variables: { first: RUNS_PAGE, filter: { jobId: someJob } },
        check: expectPage("jobLogs", RUNS_PAGE, (n) => n.jobId === someJob),
      },
      {
        name: "jobLogs by status",
        query: JOB_LOGS_QUERY,
        variables: { first: RUNS_PAGE, filter: { status: ["FAILURE"] } },
        check: expectPage("jobLogs", RUNS_PAGE, (n) => n.status === "FAILURE"),
      },
    ];

    async function viaExecute(c: Case): Promise<number> {
      const t0 = performance.now();
      const { parse, validate, contextFactory, execute, schema } = yoga.getEnveloped({
        request: new Request(url, { method: "POST" }),
        principal,
        session: null,
      } as never);
      const document = parse(c.query);
      const errors = validate(schema, document);
      if (errors.length) throw errors[0];
      const result = (await execute({ schema, document, variableValues: c.variables, contextValue: await contextFactory() })) as { data?: unknown; errors?: GraphQLError[] };
      JSON.stringify(result);
      const ms = performance.now() - t0;
      if (result.errors?.length) throw new Error(`execute failed: ${JSON.stringify(result.errors)}`);
      c.check(result.data);
      return ms;
    }

    async function viaHttp(c: Case): Promise<number> {
      const t0 = performance.now();
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/graphql-response+json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: c.query, variables: c.variables }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
      const ms = performance.now() - t0;
      if (res.status !== 200 || body.errors) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
      c.check(body.data);
      return ms;
    }

    for (const c of cases) {
      for (let i = 0; i < opts.warmup; i++) {
        await viaExecute(c);
        await viaHttp(c);
      }
      const exec: number[] = [];
      const http: number[] = [];
      for (let i = 0; i < opts.iterations; i++) {
        exec.push(await viaExecute(c));
        http.push(await viaHttp(c));
      }
      const setup = `${opts.jobs.toLocaleString("en")} jobs, ${opts.logs.toLocaleString("en")} logs, ${opts.iterations} iterations after ${opts.warmup} warm-up`;
      const verdict = percentile(exec, 95) < 20 ? "met" : "MISSED";
      const target = c.name.includes("without") ? `(diagnosis; p95 < 20 ms: ${verdict})` : `p95 < 20 ms: ${verdict}`;
      rows.push([`${c.name} — execute`, setup, summary(exec), target]);
      rows.push([`${c.name} — http`, setup, summary(http), "(for reference)"]);
      console.log(`${c.name}: execute ${summary(exec)} | http ${summary(http)}`);
    }

    if (opts.explain) {
      for (const c of cases) {
        const statements = await traceSql(() => viaExecute(c));
        console.log(`\n### ${c.name}: ${statements.length} statements`);
        for (const s of statements) {
          console.log(`\n-- ${s.ms.toFixed(2)} ms (client side): ${s.text}\n-- values: ${JSON.stringify(s.values).slice(0, 300)}`);
          if (/^\s*select/i.test(s.text)) console.log(await explain(db.url, s));
        }
      }
    }
  } finally {
    await app?.stop();
    await db.drop();
    data.cleanup();
  }
}

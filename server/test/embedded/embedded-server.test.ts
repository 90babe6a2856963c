import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDataDir } from "../cli/run-cli.ts";
import { gql, isAlive, postgresProcessesOf, postmasterPid, startEmbeddedServer, type EmbeddedServer } from "./embedded-server.ts";

// Real processes (the server, its PostgreSQL, CLI children) on a shared 2-core machine: generous
// limits, not speed checks.
const SLOW = 240_000;
const GRACE_SECONDS = 5;
const JOBS = ["emb.sec.1", "emb.sec.2", "emb.sec.3", "emb.sec.4", "emb.sec.5"];

interface JobsPage { jobs: { totalCount: number; edges: Array<{ node: { id: string; enabled: boolean } }> } }
interface LogsPage { jobLogs: { totalCount: number; edges: Array<{ node: { id: string; status: string; jobId: string; message: string | null; scheduledAt?: string | null; createdAt?: string } }> } }

describe("npm start on the embedded PostgreSQL (real processes)", () => {
  const data = tempDataDir();
  let server: EmbeddedServer;
  let token = "";

  beforeAll(async () => {
    server = await startEmbeddedServer(data.dir, { SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) });
  }, SLOW);
  afterAll(async () => {
    await server?.kill9();
    for (const pid of postgresProcessesOf(data.dir)) process.kill(pid, "SIGQUIT");
    data.cleanup();
  });

  it("keeps the cluster's password in a 0600 file and never prints it", () => {
    const passwordFile = path.join(data.dir, "embedded-postgres.password");
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    const password = readFileSync(passwordFile, "utf8");
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(server.output()).not.toContain(password);
  });

  it("creates an API token from the CLI while the server runs, and the server accepts it", async () => {
    const postmaster = postmasterPid(data.dir);
    const created = await runCli(["token", "create", "--role", "admin", "--name", "embedded-test"], { DATA_DIR: data.dir });
    expect(created.stderr).toContain("Created token");
    expect(created.code).toBe(0);
    token = created.stdout.trim();
    const answer = await gql<JobsPage>(server.baseUrl, token, "{ jobs(first: 1) { totalCount } }");
    expect(answer).toEqual({ data: { jobs: { totalCount: 0 } } });
    // The CLI used the server's cluster: the same postmaster, no second one.
    expect(postmasterPid(data.dir)).toBe(postmaster);
    expect(postgresProcessesOf(data.dir)).toContain(postmaster);
  }, SLOW);

  it("backs up beside the running server, and refuses a restore under it with a clear message", async () => {
    const archive = path.join(data.dir, "running.jsonl.gz");
    const backup = await runCli(["backup", "--out", archive], { DATA_DIR: data.dir });
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^api_tokens +1$/m);
    const restore = await runCli(["restore", "--force", archive], { DATA_DIR: data.dir });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/in use by process \d+ \(a running ConnectHub\).*Stop it first/);
  }, SLOW);

  it("answers concurrent readers correctly while every-second jobs run", async () => {
    const startAt = new Date(Date.now() + 2_000).toISOString();
    for (const id of JOBS) {
      const made = await gql(server.baseUrl, token, `mutation($input: CreateJobInput!) { createJob(input: $input) { __typename ... on Error { message } } }`, {
        input: { id, enabled: true, triggerType: "INTERVAL", intervalSeconds: 1, startAt, handlerPath: "extensions.example.job:ExampleJob", publicCfg: { name: id } },
      });
      expect(made).toEqual({ data: { createJob: { __typename: "MutationCreateJobSuccess" } } });
    }
    const problems: string[] = [];
    let answered = 0;
    const queries = [
      "{ jobs(first: 25) { totalCount edges { node { id enabled } } } }",
      "{ jobLogs(first: 30) { totalCount edges { node { id status jobId message scheduledAt createdAt } } } }",
      `{ jobLogs(first: 30, filter: { jobId: "${JOBS[0]}" }) { totalCount edges { node { id status jobId message scheduledAt createdAt } } } }`,
    ];
    const check = (q: number, answer: { data?: unknown; errors?: unknown }) => {
      if (answer.errors || !answer.data) return problems.push(JSON.stringify(answer).slice(0, 300));
      if (q === 0) {
        const jobs = (answer.data as JobsPage).jobs;
        const ids = jobs.edges.map((e) => e.node.id).sort();
        if (jobs.totalCount !== JOBS.length || JSON.stringify(ids) !== JSON.stringify(JOBS)) problems.push(`jobs: ${JSON.stringify(jobs)}`);
      } else {
        const logs = (answer.data as LogsPage).jobLogs;
        // (totalCount is its own statement, so a run inserted between the two may make it differ
        // by a few: not compared here. The page itself must be whole: newest slot (or creation)
        // first, then newest id, no repeats.)
        const keys = logs.edges.map((e) => [Date.parse(e.node.scheduledAt ?? e.node.createdAt!), Number(e.node.id)] as const);
        if (keys.some(([at, id], i) => i > 0 && (at > keys[i - 1]![0] || (at === keys[i - 1]![0] && id >= keys[i - 1]![1])))) {
          problems.push(`jobLogs page out of order: ${keys.map(([at, id]) => `${id}@${at}`).join(",")}`);
        }
        if (logs.edges.length > 30 || logs.totalCount < 0) problems.push(`jobLogs: ${logs.totalCount} total, ${logs.edges.length} rows`);
        for (const { node } of logs.edges) {
          if (!JOBS.includes(node.jobId) || (q === 2 && node.jobId !== JOBS[0])) problems.push(`a log of ${node.jobId}`);
        }
      }
      answered += 1;
    };
    // Ten clients each read at least 12 times and for at least 10 s (loopback only, bounded) while
    // the five jobs run each second: a count, not a pace, so a busy machine only makes it longer.
    const until = Date.now() + 10_000;
    const PER_CLIENT = 12;
    await Promise.all(
      Array.from({ length: 10 }, async (_, client) => {
        for (let k = client; k < client + PER_CLIENT || (Date.now() < until && k < client + 200); k += 1) {
          const q = k % queries.length;
          check(q, await gql(server.baseUrl, token, queries[q]!).catch((e: Error) => ({ errors: [e.message] })));
        }
      }),
    );
    expect(problems.slice(0, 5)).toEqual([]);
    expect(answered).toBeGreaterThanOrEqual(10 * PER_CLIENT);

    // Every job runs (a bounded wait: this machine is shared, so no pace is asserted)…
    const deadline = Date.now() + 120_000;
    let rows: LogsPage["jobLogs"]["edges"][number]["node"][] = [];
    let total = 0;
    for (;;) {
      const all = await gql<LogsPage>(server.baseUrl, token, "{ jobLogs(first: 500) { totalCount edges { node { id status jobId message } } } }");
      rows = all.data!.jobLogs.edges.map((e) => e.node);
      total = all.data!.jobLogs.totalCount;
      if (JOBS.every((id) => rows.some((r) => r.jobId === id && r.status === "SUCCESS")) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(JOBS.filter((id) => !rows.some((r) => r.jobId === id && r.status === "SUCCESS"))).toEqual([]);
    // …none was withdrawn as if its job had been deleted, and per-job counts add up to the total.
    expect(rows.filter((r) => r.status === "CANCELLED" && /delet/i.test(r.message ?? ""))).toEqual([]);
    if (total <= 500) {
      let sum = 0;
      for (const id of JOBS) {
        const own = await gql<LogsPage>(server.baseUrl, token, `{ jobLogs(first: 1, filter: { jobId: "${id}" }) { totalCount } }`);
        sum += own.data!.jobLogs.totalCount;
      }
      expect(sum).toBeGreaterThanOrEqual(total);
    }
  }, SLOW);

  it("stops on SIGTERM under load within the grace period + 10 s, and takes its PostgreSQL with it", async () => {
    const postmaster = postmasterPid(data.dir)!;
    expect(isAlive(postmaster)).toBe(true);
    let reading = true;
    const readers = Array.from({ length: 5 }, async () => {
      while (reading) await gql(server.baseUrl, token, "{ jobLogs(first: 30) { totalCount } }").catch(() => (reading = false));
    });
    await new Promise((r) => setTimeout(r, 2_000));
    const sent = Date.now();
    const code = await server.terminate();
    const tookMs = Date.now() - sent;
    reading = false;
    await Promise.all(readers);
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan((GRACE_SECONDS + 10) * 1000);
    expect(isAlive(postmaster)).toBe(false);
    expect(postgresProcessesOf(data.dir)).toEqual([]);
    expect(existsSync(path.join(data.dir, "embedded-postgres.owner.json"))).toBe(false);
    expect(server.output()).not.toMatch(/uncaught|unhandled/i);
  }, SLOW);
});


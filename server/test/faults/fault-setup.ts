// What every fault test starts from: its own PostgreSQL cluster (so it may cut and stop it), a
// migrated database on it, an API token, and helpers to create jobs and runs through the API.
import { migrate } from "../../src/db/migrator.ts";
import { createPrisma, type Prisma } from "../../src/db/prisma.ts";
import { createApiToken } from "../../src/security/auth/index.ts";
import { startPgCluster, type PgCluster } from "../harness/pg-cluster.ts";
import { deployment, eventually, gql, type Deployment, type RoleProcess } from "../harness/processes.ts";

export const SLEEP_HANDLER = "test_jobs.scheduler-sleep:SchedulerSleepJob";
export const NOOP_HANDLER = "test_jobs.scheduler-noop:SchedulerNoopJob";
export const FINAL = ["SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"];

export interface FaultSetup {
  cluster: PgCluster;
  databaseUrl: string;
  deploy: Deployment;
  token: string;
  /** A Prisma client of the test itself, for reading what the processes stored. */
  prisma: Prisma;
  close(): Promise<void>;
}

export async function faultSetup(env: Record<string, string> = {}): Promise<FaultSetup> {
  const cluster = await startPgCluster();
  const databaseUrl = await cluster.createDatabase("connecthub");
  await migrate(databaseUrl);
  const prisma = createPrisma(databaseUrl, 2);
  const { token } = await createApiToken(prisma, "fault-tests", "ADMIN");
  const deploy = await deployment(databaseUrl, env);
  return {
    cluster,
    databaseUrl,
    deploy,
    token,
    prisma,
    async close() {
      await prisma.$disconnect().catch(() => undefined);
      deploy.cleanup();
      await cluster.destroy();
    },
  };
}

export async function createJob(api: RoleProcess, token: string, input: Record<string, unknown>): Promise<void> {
  const r = await gql<{ data?: { createJob: { __typename: string; message?: string } } }>(
    api,
    token,
    `mutation($i: CreateJobInput!) { createJob(input: $i) { __typename ... on Error { message } } }`,
    { i: { enabled: false, cronExpr: "0 3 * * *", secretCfg: {}, ...input } },
  );
  if (r.data?.createJob.__typename !== "MutationCreateJobSuccess") throw new Error(`createJob failed: ${JSON.stringify(r)}`);
}

export async function runNow(api: RoleProcess, token: string, jobId: string): Promise<number> {
  const r = await gql<{ data?: { runNow: { data?: { id: number } } } }>(api, token, `mutation($j: String!) { runNow(jobId: $j) { ... on MutationRunNowSuccess { data { id } } ... on Error { message } } }`, { j: jobId });
  const id = r.data?.runNow.data?.id;
  if (typeof id !== "number") throw new Error(`runNow failed: ${JSON.stringify(r)}`);
  return id;
}

/** Waits until every run has a final status; returns their statuses by id. */
export async function finalStatuses(prisma: Prisma, ids: number[], timeoutMs = 120_000): Promise<Record<number, string>> {
  return eventually(
    `runs ${ids.join(", ")} to finish`,
    async () => {
      const rows = await prisma.jobLog.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
      if (rows.length !== ids.length || rows.some((r) => !FINAL.includes(r.status))) return undefined;
      return Object.fromEntries(rows.map((r) => [r.id, r.status]));
    },
    timeoutMs,
    500,
  );
}

/** The output of every process, for a failure message. */
export function outputs(procs: RoleProcess[]): string {
  return procs.map((p) => `--- ${p.role} (${p.alive() ? "alive" : `exited ${p.child.exitCode ?? p.child.signalCode}`})\n${p.output()}`).join("\n");
}

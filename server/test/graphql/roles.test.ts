import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/generated/prisma/enums.ts";
import { bearer, EXAMPLE_HANDLER, postGraphql, startApiFixture, type ApiFixture } from "./api-harness.ts";

let f: ApiFixture;
let logId: number;
beforeAll(async () => {
  f = await startApiFixture({}, "api");
  const prisma = f.app.runtime.prisma;
  await prisma.job.create({ data: { id: "roles.job", cronExpr: "0 9 * * *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "x" } } });
  logId = (await prisma.jobLog.create({ data: { jobId: "roles.job", trigger: "MANUAL", snapshotParams: {}, status: "SUCCESS" } })).id;
});
afterAll(async () => {
  await f?.close();
});

const ERR = "__typename ... on Error { code }";
// Each mutation with the lowest role allowed to call it. The API process has no worker, so runs stay QUEUED.
const MUTATIONS: Array<[string, Role, () => string]> = [
  ["runNow", "OPERATOR", () => `mutation { runNow(jobId: "roles.job") { ${ERR} } }`],
  ["retryLog", "OPERATOR", () => `mutation { retryLog(logId: ${logId}) { ${ERR} } }`],
  ["cancelRun", "OPERATOR", () => `mutation { cancelRun(logId: ${logId}) { ${ERR} } }`],
  ["createJob", "ADMIN", () => `mutation { createJob(input: { id: "roles.new" }) { ${ERR} } }`],
  ["updateJob", "ADMIN", () => `mutation { updateJob(id: "roles.job", input: { description: "x" }) { ${ERR} } }`],
  ["deleteJob", "ADMIN", () => `mutation { deleteJob(id: "roles.nothing") { ${ERR} } }`],
  ["enableJob", "ADMIN", () => `mutation { enableJob(id: "roles.job") { ${ERR} } }`],
  ["disableJob", "ADMIN", () => `mutation { disableJob(id: "roles.job") { ${ERR} } }`],
  ["purgeLogs", "ADMIN", () => `mutation { purgeLogs(jobId: "roles.nothing") { ${ERR} } }`],
  ["createApiToken", "ADMIN", () => `mutation { createApiToken(input: { name: "", role: VIEWER }) { ${ERR} } }`],
  ["revokeApiToken", "ADMIN", () => `mutation { revokeApiToken(id: 987654) { ${ERR} } }`],
  ["createUser", "ADMIN", () => `mutation { createUser(input: { username: "", password: "", role: VIEWER }) { ${ERR} } }`],
  ["updateUser", "ADMIN", () => `mutation { updateUser(id: 987654, input: { disabled: true }) { ${ERR} } }`],
  ["resetPassword", "ADMIN", () => `mutation { resetPassword(id: 987654, password: "long-enough-pw") { ${ERR} } }`],
  ["changeMyPassword", "VIEWER", () => `mutation { changeMyPassword(currentPassword: "x", newPassword: "y") { ${ERR} } }`],
];
const RANK: Record<Role, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };

describe("roles are enforced in the schema for every mutation", () => {
  for (const [name, needed, query] of MUTATIONS) {
    for (const role of ["VIEWER", "OPERATOR", "ADMIN"] as const) {
      const allowed = RANK[role] >= RANK[needed];
      it(`${name} is ${allowed ? "allowed" : "forbidden"} for ${role}`, async () => {
        const res = await postGraphql(f.baseUrl, query(), {}, bearer(f.tokens[role]));
        if (allowed) {
          expect(res.json.errors).toBeUndefined();
          expect(res.json.data[name].__typename).toBeTruthy();
        } else {
          expect(res.json.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
          expect(res.json.data?.[name] ?? null).toBeNull();
        }
      });
    }
  }

  it("only admins list tokens and users", async () => {
    for (const role of ["VIEWER", "OPERATOR", "ADMIN"] as const) {
      const res = await postGraphql(f.baseUrl, `{ apiTokens { id } users { id } }`, {}, bearer(f.tokens[role]));
      if (role === "ADMIN") expect(res.json.data.users.length).toBeGreaterThan(0);
      else expect(res.json.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
  });

  it("every role can read", async () => {
    for (const role of ["VIEWER", "OPERATOR", "ADMIN"] as const) {
      const res = await postGraphql(f.baseUrl, `{ jobs { totalCount } jobLogs { totalCount } me { role } }`, {}, bearer(f.tokens[role]));
      expect(res.json.data.me.role).toBe(role);
    }
  });

  it("refuses retry of a QUEUED run with a clear message", async () => {
    // Named as held by a queue job, so no worker of the app takes this hand-made run from the table.
    const queued = await f.app.runtime.prisma.jobLog.create({ data: { jobId: "roles.job", trigger: "MANUAL", snapshotParams: {}, status: "QUEUED", queueJobId: "held-by-test" } });
    const res = await postGraphql(f.baseUrl, `mutation { retryLog(logId: ${queued.id}) { __typename ... on Error { code message } } }`, {}, bearer(f.tokens.OPERATOR));
    expect(res.json.data.retryLog).toMatchObject({ __typename: "ActionRefusedError", code: "RETRY_REFUSED" });
    expect(res.json.data.retryLog.message).toMatch(/QUEUED|RUNNING/);
  });
});

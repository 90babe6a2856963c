import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { ADMIN_PASSWORD, bearer, postGraphql, startApiFixture, type ApiFixture } from "../graphql/api-harness.ts";

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture({ EXTENSION_ROOTS: TEST_JOBS_ROOT });
});
afterAll(async () => {
  await f?.close();
});

const SECRET = "audit-secret-value-9931";
const NEW_SECRET = "audit-secret-rotated-5512";
const HOOK_SECRET = "audit-hook-signing-7788";
const admin = (query: string, variables: Record<string, unknown> = {}) =>
  postGraphql(f.baseUrl, query, variables, { ...bearer(f.tokens.ADMIN), "user-agent": "audit-test/1.0" });
const operator = (query: string, variables: Record<string, unknown> = {}) => postGraphql(f.baseUrl, query, variables, bearer(f.tokens.OPERATOR));

/** Rows as text, to search for leaked values (ids are bigint). */
const dump = (rows: unknown) => JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v));

async function events(action: string) {
  return f.app.runtime.prisma.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });
}

async function ended(logId: number) {
  for (let i = 0; i < 300; i++) {
    const log = await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } });
    if (!["QUEUED", "RUNNING"].includes(log.status)) return log;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${logId} did not end`);
}

describe("audit log", () => {
  it("records job create and update with a field diff, secrets only as changed key names", async () => {
    const create = await admin(`mutation($i: CreateJobInput!) { createJob(input: $i) { __typename } }`, {
      i: { id: "a.job", cronExpr: "0 9 * * *", handlerPath: "test_jobs.behaviours:EchoJob", publicCfg: { message: "hi" }, secretCfg: { api_key: SECRET } },
    });
    expect(create.json.data.createJob.__typename).toBe("MutationCreateJobSuccess");
    const update = await admin(`mutation($i: UpdateJobInput!) { updateJob(id: "a.job", input: $i) { __typename } }`, {
      i: { cronExpr: "0 10 * * *", keepLastRuns: 5, publicCfg: { message: "bye" }, secretCfg: { api_key: NEW_SECRET, extra: "x" }, webhookUrl: "https://hooks.example/x?access_token=tok123456", webhookSecret: { signing_secret: HOOK_SECRET } },
    });
    expect(update.json.data.updateJob.__typename).toBe("MutationUpdateJobSuccess");

    const [created] = await events("job.create");
    expect(created).toMatchObject({ actorKind: "API_TOKEN", actor: "test-admin", targetType: "Job", targetId: "a.job", outcome: "SUCCESS", userAgent: "audit-test/1.0" });
    expect(created!.address).toMatch(/127\.0\.0\.1/);
    expect((created!.detail as any).fields).toMatchObject({ cronExpr: "0 9 * * *", secretCfg: { set: true, keys: ["api_key"] } });

    const [updated] = await events("job.update");
    const changes = (updated!.detail as any).changes;
    expect(changes.cronExpr).toEqual({ from: "0 9 * * *", to: "0 10 * * *" });
    expect(changes.publicCfg).toEqual({ from: { message: "hi" }, to: { message: "bye" } });
    expect(changes.keepLastRuns).toEqual({ from: null, to: 5 });
    expect(changes.secretCfg).toEqual({ changed: true, keys: ["api_key", "extra"] });
    expect(changes.webhookSecret).toEqual({ changed: true, keys: ["signing_secret"] });
    expect(changes.handlerPath).toBeUndefined();
    const all = dump(await f.app.runtime.prisma.auditEvent.findMany());
    for (const secret of [SECRET, NEW_SECRET, HOOK_SECRET, "tok123456"]) expect(all).not.toContain(secret);
  });

  it("records a refused update as FAILURE with the fields, not the values", async () => {
    const res = await admin(`mutation($i: UpdateJobInput!) { updateJob(id: "a.job", input: $i) { __typename } }`, { i: { cronExpr: "61 * * * *", keepLastRuns: 0 } });
    expect(res.json.data.updateJob.__typename).toBe("ValidationError");
    const failed = (await events("job.update")).filter((e) => e.outcome === "FAILURE");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail).toMatchObject({ error: "VALIDATION_FAILED" });
    expect((failed[0]!.detail as { fields: string[] }).fields.sort()).toEqual(["cronExpr", "keepLastRuns"]);
  });

  it("records disable, enable, run now (with the run's trace id), retry, cancel, purge and delete", async () => {
    await admin(`mutation { disableJob(id: "a.job") { __typename } }`);
    await admin(`mutation { enableJob(id: "a.job") { __typename } }`);
    const run = await operator(`mutation { runNow(jobId: "a.job") { ... on MutationRunNowSuccess { data { id traceId } } } }`);
    const { id: logId, traceId } = run.json.data.runNow.data;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await ended(logId);
    const retry = await operator(`mutation($id: Int!) { retryLog(logId: $id) { ... on MutationRetryLogSuccess { data { id } } } }`, { id: logId });
    const retryId = retry.json.data.retryLog.data.id;
    await ended(retryId);
    const queued = await f.app.runtime.prisma.jobLog.create({ data: { jobId: "a.job", trigger: "MANUAL", snapshotParams: {}, scheduledAt: new Date(Date.now() + 3_600_000) } });
    await operator(`mutation($id: Int!) { cancelRun(logId: $id) { __typename } }`, { id: queued.id });
    await admin(`mutation { purgeLogs(jobId: "a.job") { __typename } }`);
    await admin(`mutation { deleteJob(id: "a.job") { __typename } }`);

    expect((await events("job.disable"))[0]).toMatchObject({ targetId: "a.job", outcome: "SUCCESS" });
    expect((await events("job.enable"))[0]).toMatchObject({ targetId: "a.job", outcome: "SUCCESS" });
    expect((await events("run.now"))[0]).toMatchObject({ actor: "test-operator", targetId: "a.job", traceId, detail: { logId } });
    expect((await events("run.retry"))[0]).toMatchObject({ targetType: "JobLog", targetId: String(logId), detail: { newLogId: retryId } });
    expect((await events("run.cancel"))[0]).toMatchObject({ targetId: String(queued.id), outcome: "SUCCESS" });
    expect((await events("job.purge_logs"))[0]).toMatchObject({ targetId: "a.job", outcome: "SUCCESS" });
    expect((await events("job.delete"))[0]).toMatchObject({ targetId: "a.job", outcome: "SUCCESS" });
  });

  it("records login success and failure with the address and user agent, never the password", async () => {
    const login = (password: string) =>
      fetch(`${f.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json", "user-agent": "browser/9" }, body: JSON.stringify({ username: "admin", password }) });
    expect((await login("wrong-password-3141")).status).toBe(401);
    expect((await login(ADMIN_PASSWORD)).status).toBe(200);
    const logins = await events("auth.login");
    expect(logins.map((e) => e.outcome)).toEqual(["FAILURE", "SUCCESS"]);
    expect(logins[0]).toMatchObject({ actorKind: "USER", actor: "admin", userAgent: "browser/9", detail: { reason: "bad_credentials" } });
    expect(dump(logins)).not.toContain("wrong-password-3141");
    expect(dump(logins)).not.toContain(ADMIN_PASSWORD);
  });

  it("serves auditEvents to admins only, newest first, with filters and a connection", async () => {
    const q = `query($f: AuditEventFilter) { auditEvents(first: 2, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { node { action actor outcome targetId detail } } } }`;
    const page = await admin(q, { f: { action: ["job.update", "job.create"] } });
    const conn = page.json.data.auditEvents;
    expect(conn.totalCount).toBe(3);
    expect(conn.edges.map((e: any) => e.node.action)).toEqual(["job.update", "job.update"]);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const next = await admin(`query($a: String) { auditEvents(first: 2, after: $a, filter: { action: ["job.update", "job.create"] }) { edges { node { action } } } }`, { a: conn.pageInfo.endCursor });
    expect(next.json.data.auditEvents.edges.map((e: any) => e.node.action)).toEqual(["job.create"]);
    const failures = await admin(`{ auditEvents(filter: { outcome: "FAILURE", actorKind: "USER" }) { edges { node { action } } } }`);
    expect(failures.json.data.auditEvents.edges.map((e: any) => e.node.action)).toEqual(["auth.login"]);
    const denied = await operator(`{ auditEvents(first: 1) { edges { node { action } } } }`);
    expect(denied.json.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
  it("records token and user changes made through the API, with who did them and no password", async () => {
    const PASSWORD = "audit-user-password-4821";
    const token = await admin(`mutation { createApiToken(input: { name: "audit-ci", role: VIEWER }) { __typename ... on CreateApiTokenPayload { apiToken { id } } } }`);
    const tokenId = token.json.data.createApiToken.apiToken.id;
    expect((await admin(`mutation { revokeApiToken(id: "${tokenId}") { __typename } }`)).json.data.revokeApiToken.__typename).toBe("MutationRevokeApiTokenSuccess");
    const user = await admin(`mutation($i: CreateUserInput!) { createUser(input: $i) { __typename ... on MutationCreateUserSuccess { data { id } } } }`, {
      i: { username: "audit-ops", password: PASSWORD, role: "VIEWER" },
    });
    const userId = user.json.data.createUser.data.id;
    await admin(`mutation { updateUser(id: "${userId}", input: { role: OPERATOR }) { __typename } }`);
    await admin(`mutation($p: String!) { resetPassword(id: "${userId}", password: $p) { __typename } }`, { p: `${PASSWORD}-2` });

    expect(await events("token.create")).toEqual(expect.arrayContaining([expect.objectContaining({ actor: "test-admin", targetId: "audit-ci", outcome: "SUCCESS" })]));
    expect(await events("token.revoke")).toEqual(expect.arrayContaining([expect.objectContaining({ actor: "test-admin", targetId: String(tokenId), outcome: "SUCCESS" })]));
    expect((await events("user.create")).map((e) => e.targetId)).toContain("audit-ops");
    const updates = (await events("user.update")).filter((e) => e.targetId === String(userId)).map((e) => e.detail);
    expect(updates).toEqual([expect.objectContaining({ role: "OPERATOR" }), { password: "reset" }]);
    expect(dump(await f.app.runtime.prisma.auditEvent.findMany())).not.toContain(PASSWORD);
  });
});

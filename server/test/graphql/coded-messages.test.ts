// Issue 13, items 8 and 13 through the real API: run messages and errors carry stable codes and
// parameters for clients that translate them; handlers describe themselves in other languages;
// secrets change key by key without the stored values ever coming back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { bearer, collect, EXAMPLE_HANDLER, postGraphql, startApiFixture, wsClient, type ApiFixture } from "./api-harness.ts";

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture({ EXTENSION_ROOTS: TEST_JOBS_ROOT });
});
afterAll(async () => {
  await f?.close();
});

const admin = () => bearer(f.tokens.ADMIN);
const gql = (query: string, variables: Record<string, unknown> = {}) => postGraphql(f.baseUrl, query, variables, admin());

async function createJob(id: string, handlerPath: string, publicCfg: Record<string, unknown>, secretCfg?: Record<string, unknown>) {
  const res = await gql(`mutation($i: CreateJobInput!) { createJob(input: $i) { __typename ... on Error { code message } } }`, {
    i: { id, handlerPath, publicCfg, cronExpr: "0 3 1 1 *", enabled: false, ...(secretCfg ? { secretCfg } : {}) },
  });
  expect(res.json.data.createJob.__typename).toBe("MutationCreateJobSuccess");
}

async function finished(logId: number) {
  for (;;) {
    const res = await gql(`query($id: Int!) { jobLog(id: $id) { status message messageCode messageParams } }`, { id: logId });
    const log = res.json.data.jobLog;
    if (!["QUEUED", "RUNNING"].includes(log.status)) return log;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("run messages", () => {
  it("a finished run has its message as text and as code + parameters, in the query and in its status event", async () => {
    await createJob("coded.fail", "test_jobs.behaviours:ThrowStringJob", {});
    const run = await gql(`mutation { runNow(jobId: "coded.fail") { ... on MutationRunNowSuccess { data { id } } } }`);
    const logId = run.json.data.runNow.data.id as number;
    const client = wsClient(f.baseUrl, { token: f.tokens.ADMIN });
    try {
      const events = await collect<{ jobLogUpdated: { kind: string; status: string | null; messageCode: string | null; messageParams: unknown } }>(
        client,
        `subscription($id: Int!) { jobLogUpdated(logId: $id) { kind status messageCode messageParams } }`,
        { id: logId },
        (list) => list.some((e) => e.jobLogUpdated.status === "FAILURE"),
      );
      const end = events.find((e) => e.jobLogUpdated.status === "FAILURE")!.jobLogUpdated;
      // Either the live event (with its code) or the stream's read of a run that had already ended.
      if (end.messageCode !== null) expect(end).toMatchObject({ messageCode: "RUN_FAILED", messageParams: { error: "a plain string, not an Error" } });
    } finally {
      await client.dispose();
    }
    expect(await finished(logId)).toEqual({
      status: "FAILURE",
      message: "a plain string, not an Error",
      messageCode: "RUN_FAILED",
      messageParams: { error: "a plain string, not an Error" },
    });
  });

  it("a cancelled run says so by code", async () => {
    await createJob("coded.cancel", "test_jobs.behaviours:SleepJob", { ms: 60_000 });
    // Cancelled at once: QUEUED (before start) or RUNNING (by an operator), whichever it is by then.
    const run = await gql(`mutation { runNow(jobId: "coded.cancel") { ... on MutationRunNowSuccess { data { id } } } }`);
    const logId = run.json.data.runNow.data.id as number;
    await gql(`mutation($id: Int!) { cancelRun(logId: $id) { __typename } }`, { id: logId });
    const log = await finished(logId);
    expect(log.status).toBe("CANCELLED");
    expect(["RUN_CANCELLED_BEFORE_START", "RUN_CANCELLED", "RUN_CANCELLED_AT_START"]).toContain(log.messageCode);
    expect(log.message).toMatch(/^Cancelled /);
  });
});

describe("errors", () => {
  it("typed errors carry code and the values their message names", async () => {
    const res = await gql(`mutation { retryLog(logId: 987654) { __typename ... on Error { code message params } } }`);
    expect(res.json.data.retryLog).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND", params: { what: "JobLog", id: 987654 } });
  });

  it("field errors carry a code and params when they have one", async () => {
    const res = await gql(`mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { __typename ... on ValidationError { fieldErrors { field message code params } } } }`, {
      i: { name: "past", role: "VIEWER", expiresAt: "2020-01-01T00:00:00Z" },
    });
    expect(res.json.data.createApiToken.fieldErrors).toEqual([{ field: "expiresAt", message: "must be in the future", code: "NOT_IN_FUTURE", params: null }]);
  });
});

describe("handlers", () => {
  it("describe themselves in other languages, their config fields too (x-descriptions)", async () => {
    const res = await gql(`{ handlers { handlerPath description descriptions paramsJsonSchema secretsJsonSchema } }`);
    const example = res.json.data.handlers.find((h: { handlerPath: string }) => h.handlerPath === EXAMPLE_HANDLER);
    expect(example.description).toContain("greeting");
    expect(example.descriptions["zh-CN"]).toContain("问候");
    expect(example.paramsJsonSchema.properties.name).toMatchObject({ type: "string", description: "Who to greet", "x-descriptions": { "zh-CN": "问候的对象" } });
    expect(example.paramsJsonSchema.required).toEqual(["name"]);
    expect(Object.keys(example.secretsJsonSchema.properties)).toEqual(["api_key"]);
  });
});

describe("secretCfgUpdates", () => {
  const update = (input: Record<string, unknown>) =>
    gql(`mutation($i: UpdateJobInput!) { updateJob(id: "coded.secret", input: $i) { __typename ... on Error { code message } ... on ValidationError { fieldErrors { field code } } ... on MutationUpdateJobSuccess { data { secretKeys } } } }`, { i: input });
  const stored = async () => {
    const job = await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "coded.secret" } });
    return job.secretCfg ? f.app.runtime.fernet().decryptJson(job.secretCfg) : null;
  };

  it("sets and removes keys one by one, keeps the rest, and never answers with a value", async () => {
    await createJob("coded.secret", EXAMPLE_HANDLER, { name: "S" }, { api_key: "first-value-1", other: "other-value-1" });
    const changed = await update({ secretCfgUpdates: { api_key: "second-value-2" } });
    expect(changed.json.data.updateJob).toEqual({ __typename: "MutationUpdateJobSuccess", data: { secretKeys: ["api_key", "other"] } });
    expect(await stored()).toEqual({ api_key: "second-value-2", other: "other-value-1" });
    expect(changed.text).not.toContain("value-");

    // Other edits leave the secret alone; null removes a key.
    await update({ publicCfg: { name: "T" } });
    expect(await stored()).toEqual({ api_key: "second-value-2", other: "other-value-1" });
    await update({ secretCfgUpdates: { other: null } });
    expect(await stored()).toEqual({ api_key: "second-value-2" });
  });

  it("is refused together with secretCfg or clearSecretCfg, and when it is not an object", async () => {
    for (const input of [{ secretCfgUpdates: { a: "b" }, secretCfg: { a: "c" } }, { secretCfgUpdates: { a: "b" }, clearSecretCfg: true }]) {
      const res = await update(input);
      expect(res.json.data.updateJob).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ field: "secretCfgUpdates", code: "SECRET_UPDATES_CONFLICT" }] });
    }
    const res = await update({ secretCfgUpdates: ["x"] });
    expect(res.json.data.updateJob).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ field: "secretCfgUpdates", code: "NOT_AN_OBJECT" }] });
    expect(await stored()).toEqual({ api_key: "second-value-2" });
  });
});

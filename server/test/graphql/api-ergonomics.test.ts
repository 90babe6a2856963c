import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, bearer, collect, EXAMPLE_HANDLER, postGraphql, startApiFixture, wsClient, type ApiFixture } from "./api-harness.ts";

// Arguments out of range are refused with a clear error; repeated or misdirected requests say so.

let f: ApiFixture;
const JOB = "ergo.job";
beforeAll(async () => {
  f = await startApiFixture({}, "api");
  await f.app.runtime.prisma.job.create({ data: { id: JOB, cronExpr: "0 9 * * *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "x" } } });
});
afterAll(async () => {
  await f?.close();
});

const asOperator = (query: string, variables: Record<string, unknown> = {}) => postGraphql(f.baseUrl, query, variables, bearer(f.tokens.OPERATOR));
const SUB = `subscription($jobId: String, $logId: Int, $fromOffset: Int) {
  jobLogUpdated(jobId: $jobId, logId: $logId, fromOffset: $fromOffset) { kind status offset text }
}`;
type Ev = { jobLogUpdated: { kind: string; status: string | null; offset: number | null; text: string | null } };

describe("counts are refused out of range, not clamped", () => {
  it.each([
    ["triggerPreview 101", `{ triggerPreview(input: { triggerType: CRON, cronExpr: "* * * * *", count: 101 }) { __typename } }`],
    ["cronPreview 0", `{ cronPreview(expr: "* * * * *", count: 0) { __typename } }`],
    ["nextFireTimes 51", `{ job(id: "${JOB}") { nextFireTimes(count: 51) } }`],
  ])("%s", async (_name, query) => {
    const res = await asOperator(query);
    expect(res.json.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.json.errors?.[0]?.message).toMatch(/count must be between 1 and (100|50); got (101|0|51)/);
  });

  it("the largest allowed count gives that many", async () => {
    const res = await asOperator(`{ cronPreview(expr: "* * * * *", count: 100) { ... on QueryCronPreviewSuccess { data } } }`);
    expect(res.json.data.cronPreview.data).toHaveLength(100);
  });
});

describe("run actions", () => {
  it("a second cancel of a run whose cancel is pending is refused and leaves the first request's time", async () => {
    const log = await f.app.runtime.prisma.jobLog.create({ data: { jobId: JOB, trigger: "MANUAL", snapshotParams: {}, status: "RUNNING", startedAt: new Date() } });
    const cancel = `mutation { cancelRun(logId: ${log.id}) { __typename ... on Error { code message } } }`;
    expect((await asOperator(cancel)).json.data.cancelRun.__typename).toBe("MutationCancelRunSuccess");
    const first = (await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: log.id } })).cancelRequestedAt;
    expect(first).not.toBeNull();
    const again = (await asOperator(cancel)).json.data.cancelRun;
    expect(again).toMatchObject({ __typename: "ActionRefusedError", code: "CANCEL_ALREADY_REQUESTED" });
    expect(again.message).toContain("already requested");
    expect((await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: log.id } })).cancelRequestedAt).toEqual(first);
  });

  it("retry and cancel of a missing run say it does not exist", async () => {
    for (const field of ["retryLog", "cancelRun"]) {
      const res = await asOperator(`mutation { ${field}(logId: 987654) { __typename ... on Error { code message } } }`);
      expect(res.json.data[field]).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND", message: "JobLog 987654 does not exist." });
    }
  });
});

describe("jobLogUpdated arguments", () => {
  it("an offset inside a multi-byte character resumes at that character, never sending U+FFFD", async () => {
    const runLog = "ab同步cd\n";
    const log = await f.app.runtime.prisma.jobLog.create({
      data: { jobId: JOB, trigger: "MANUAL", snapshotParams: {}, status: "SUCCESS", runLog, runLogBytes: Buffer.byteLength(runLog) },
    });
    const client = wsClient(f.baseUrl, { token: f.tokens.VIEWER });
    try {
      // "同" is bytes 2–4: offset 3 is inside it.
      const events = await collect<Ev>(client, SUB, { logId: log.id, fromOffset: 3 }, () => false);
      const output = events.filter((e) => e.jobLogUpdated.kind === "OUTPUT").map((e) => e.jobLogUpdated);
      expect(output[0]!.offset).toBe(2);
      expect(output.map((o) => o.text).join("")).toBe("同步cd\n");
      expect(JSON.stringify(events)).not.toContain("\uFFFD");
    } finally {
      await client.dispose();
    }
  });

  it("refuses a negative offset and a logId that belongs to another job", async () => {
    const log = await f.app.runtime.prisma.jobLog.create({ data: { jobId: JOB, trigger: "MANUAL", snapshotParams: {}, status: "SUCCESS" } });
    const client = wsClient(f.baseUrl, { token: f.tokens.VIEWER });
    try {
      await expect(collect<Ev>(client, SUB, { logId: log.id, fromOffset: -1 }, () => false)).rejects.toThrow(/fromOffset must be 0 or more/);
      await expect(collect<Ev>(client, SUB, { logId: log.id, jobId: "other.job" }, () => false)).rejects.toThrow(/is a run of job .*ergo\.job.*, not .*other\.job/);
    } finally {
      await client.dispose();
    }
  });
});

describe("SSE with the session cookie (what a browser's EventSource sends)", () => {
  async function session() {
    const res = await fetch(`${f.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }) });
    return res.headers.get("set-cookie")!.split(";")[0]!;
  }

  it("streams a subscription by GET without the CSRF header", async () => {
    const runLog = "line one\n";
    const log = await f.app.runtime.prisma.jobLog.create({ data: { jobId: JOB, trigger: "MANUAL", snapshotParams: {}, status: "SUCCESS", runLog, runLogBytes: runLog.length } });
    const query = `subscription { jobLogUpdated(logId: ${log.id}) { kind status text } }`;
    const res = await fetch(`${f.baseUrl}/graphql?query=${encodeURIComponent(query)}`, { headers: { accept: "text/event-stream", cookie: await session() } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const body = await res.text(); // the run is finished: the server completes the stream
    expect(body).toContain('"status":"SUCCESS"');
    expect(body).toContain("line one");
  });

  it("still requires the CSRF header for anything that is not a subscription by GET", async () => {
    const cookie = await session();
    const mutation = `mutation { disableJob(id: "${JOB}") { __typename } }`;
    const post = await postGraphql(f.baseUrl, mutation, {}, { cookie });
    expect(post.status).toBe(403);
    expect(post.json.errors?.[0]?.extensions?.code).toBe("CSRF_TOKEN_INVALID");
    const get = await fetch(`${f.baseUrl}/graphql?query=${encodeURIComponent(mutation)}`, { headers: { accept: "text/event-stream", cookie } });
    expect(get.status).toBe(403);
    const query = await fetch(`${f.baseUrl}/graphql?query=${encodeURIComponent("{ me { name } }")}`, { headers: { accept: "text/event-stream", cookie } });
    expect(query.status).toBe(403);
    expect((await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: JOB } })).enabled).toBe(true);
  });
});

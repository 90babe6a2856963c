import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, collect, EXAMPLE_HANDLER, postGraphql, startApiFixture, wsClient, type ApiFixture } from "./api-harness.ts";

const SECRET = "subscription-secret-8812";
const SUB = `subscription($jobId: String, $logId: Int, $fromOffset: Int) {
  jobLogUpdated(jobId: $jobId, logId: $logId, fromOffset: $fromOffset) { kind logId jobId status offset text nextOffset }
}`;

interface Ev { jobLogUpdated: { kind: "STATUS" | "OUTPUT"; logId: number; jobId: string; status: string | null; offset: number | null; text: string | null; nextOffset: number | null } }

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture();
  const res = await postGraphql(
    f.baseUrl,
    `mutation($i: CreateJobInput!) { createJob(input: $i) { __typename } }`,
    { i: { id: "live.job", cronExpr: "0 0 1 1 *", handlerPath: EXAMPLE_HANDLER, publicCfg: { name: "Live" }, secretCfg: { api_key: SECRET } } },
    bearer(f.tokens.ADMIN),
  );
  expect(res.json.data.createJob.__typename).toBe("MutationCreateJobSuccess");
});
afterAll(async () => {
  await f?.close();
});

const terminal = (events: Ev[]) => events.some((e) => e.jobLogUpdated.kind === "STATUS" && ["SUCCESS", "FAILURE", "CANCELLED", "ABANDONED"].includes(e.jobLogUpdated.status!));

function assertContiguous(events: Ev[], from: number): string {
  let offset = from;
  let text = "";
  for (const { jobLogUpdated: e } of events) {
    if (e.kind !== "OUTPUT") continue;
    expect(e.offset).toBe(offset);
    offset = e.nextOffset!;
    text += e.text;
  }
  return text;
}

describe("jobLogUpdated", () => {
  it("streams QUEUED, RUNNING, the log lines in order, then SUCCESS, for a job run with runNow; secrets never appear", async () => {
    const client = wsClient(f.baseUrl, { token: f.tokens.VIEWER });
    const events = collect<Ev>(client, SUB, { jobId: "live.job" }, terminal);
    // The subscription is live once the server has registered it; give the handshake a moment via a no-op round trip.
    await new Promise((r) => setTimeout(r, 300));
    const run = await postGraphql(f.baseUrl, `mutation { runNow(jobId: "live.job") { ... on MutationRunNowSuccess { data { id status snapshotParams } } } }`, {}, bearer(f.tokens.OPERATOR));
    const logId = run.json.data.runNow.data.id as number;
    const got = await events;
    await client.dispose();

    const statuses = got.filter((e) => e.jobLogUpdated.kind === "STATUS").map((e) => e.jobLogUpdated.status);
    expect(statuses).toEqual(["QUEUED", "RUNNING", "SUCCESS"]);
    expect(got.every((e) => e.jobLogUpdated.logId === logId)).toBe(true);
    const kinds = got.map((e) => e.jobLogUpdated.kind);
    expect(kinds.indexOf("OUTPUT")).toBeGreaterThan(kinds.indexOf("STATUS"));
    const text = assertContiguous(got, 0);
    const row = await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } });
    expect(text).toBe(row.runLog);
    expect(text.split("\n").filter(Boolean).length).toBeGreaterThanOrEqual(2);
    // The handler's own ctx.logger lines are streamed, not only the engine's.
    expect(text).toContain("Hello, Live!");

    // Secrets: neither the plaintext nor the stored Fernet tokens appear in any response.
    const job = await f.app.runtime.prisma.job.findUniqueOrThrow({ where: { id: "live.job" } });
    const snapshotToken = (row.snapshotParams as { secret_cfg?: string }).secret_cfg;
    const detail = await postGraphql(f.baseUrl, `{ jobLog(id: ${logId}) { snapshotParams runLog message traceback result } job(id: "live.job") { publicCfg secretKeys } }`, {}, bearer(f.tokens.ADMIN));
    for (const body of [JSON.stringify(got), run.text, detail.text]) {
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain(job.secretCfg!);
      if (snapshotToken) expect(body).not.toContain(snapshotToken);
      expect(body).not.toMatch(/gAAAAA[A-Za-z0-9_-]{20}/);
    }
  });

  it("resumes a finished run from a byte offset: status first, then exactly the bytes after it, then completes", async () => {
    const run = await postGraphql(f.baseUrl, `mutation { runNow(jobId: "live.job") { ... on MutationRunNowSuccess { data { id } } } }`, {}, bearer(f.tokens.OPERATOR));
    const logId = run.json.data.runNow.data.id as number;
    await expect.poll(async () => (await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } })).status, { timeout: 20_000 }).toBe("SUCCESS");
    const row = await f.app.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id: logId } });
    const from = Buffer.from(row.runLog).indexOf("\n") + 1;
    expect(from).toBeGreaterThan(0);

    const client = wsClient(f.baseUrl, { token: f.tokens.VIEWER });
    const got = await collect<Ev>(client, SUB, { logId, fromOffset: from }, () => false);
    await client.dispose();
    expect(got[0]!.jobLogUpdated).toMatchObject({ kind: "STATUS", status: "SUCCESS" });
    const text = assertContiguous(got, from);
    expect(text).toBe(Buffer.from(row.runLog).subarray(from).toString());
  });

  it("streams over SSE too", async () => {
    const run = await postGraphql(f.baseUrl, `mutation { runNow(jobId: "live.job") { ... on MutationRunNowSuccess { data { id } } } }`, {}, bearer(f.tokens.OPERATOR));
    const logId = run.json.data.runNow.data.id as number;
    const res = await fetch(`${f.baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", ...bearer(f.tokens.VIEWER) },
      body: JSON.stringify({ query: SUB, variables: { logId } }),
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const body = await res.text(); // the stream ends when the run finishes
    const statuses = [...body.matchAll(/"status":"(\w+)"/g)].map((m) => m[1]);
    expect(statuses.at(-1)).toBe("SUCCESS");
  });
});

describe("jobLogUpdated gap filling", () => {
  it("reads bytes it missed from JobLog.runLog when a live piece starts beyond what was delivered", async () => {
    const prisma = f.app.runtime.prisma;
    // Named as held by a queue job, so no worker of the app takes this hand-made run from the table.
    const log = await prisma.jobLog.create({ data: { jobId: "live.job", trigger: "MANUAL", snapshotParams: {}, status: "QUEUED", runLog: "", runLogBytes: 0, queueJobId: "held-by-test" } });
    const client = wsClient(f.baseUrl, { token: f.tokens.VIEWER });
    const events = collect<Ev>(client, SUB, { jobId: "live.job" }, terminal);
    await new Promise((r) => setTimeout(r, 300));
    const bus = f.app.runtime.events;
    await bus.publish("jobLog.status", { logId: log.id, jobId: "live.job", status: "RUNNING", at: new Date().toISOString() });
    // The first piece's notification is "lost"; the worker has flushed it to the database.
    await prisma.jobLog.update({ where: { id: log.id }, data: { status: "RUNNING", runLog: "first línea\n", runLogBytes: Buffer.byteLength("first línea\n") } });
    await bus.publish("jobLog.output", { logId: log.id, jobId: "live.job", offset: Buffer.byteLength("first línea\n"), text: "second\n" });
    await prisma.jobLog.update({ where: { id: log.id }, data: { status: "SUCCESS", runLog: "first línea\nsecond\n", runLogBytes: Buffer.byteLength("first línea\nsecond\n") } });
    await bus.publish("jobLog.status", { logId: log.id, jobId: "live.job", status: "SUCCESS", at: new Date().toISOString() });
    const got = (await events).filter((e) => e.jobLogUpdated.logId === log.id);
    await client.dispose();
    expect(got.map((e) => [e.jobLogUpdated.kind, e.jobLogUpdated.status ?? e.jobLogUpdated.text])).toEqual([
      ["STATUS", "RUNNING"],
      ["OUTPUT", "first línea\n"],
      ["OUTPUT", "second\n"],
      ["STATUS", "SUCCESS"],
    ]);
    assertContiguous(got, 0);
  });
});

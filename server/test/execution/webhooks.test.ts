import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import { notifyRunFinished } from "../../src/webhooks/notify.ts";
import { startHttpStandIn, type HttpStandIn, type RecordedRequest } from "../stand-ins/http-stand-in.ts";
import { openEngine, reassemble, type Engine } from "./harness.ts";

const GLOBAL_TOKEN = "global-bearer-123";
const GLOBAL_SECRET = "global-signing-secret";
let receiver: HttpStandIn;
let engine: Engine;

/** What a receiving server does: recompute the HMAC over the raw body it got. */
function signatureValid(req: RecordedRequest, secret: string): boolean {
  const expected = `sha256=${createHmac("sha256", secret).update(req.body).digest("hex")}`;
  return req.headers["x-connecthub-signature"] === expected;
}

beforeAll(async () => {
  receiver = await startHttpStandIn((req) => {
    if (req.path.startsWith("/down")) return { status: 500, body: { error: "down" } };
    if (req.path.startsWith("/robot")) return { status: 200, body: { errcode: 0, errmsg: "ok" } };
    return { status: 200, body: { ok: true } };
  });
  engine = await openEngine({ env: { WEBHOOK_URL: `${receiver.url}/global`, WEBHOOK_TOKEN: GLOBAL_TOKEN, WEBHOOK_SECRET: GLOBAL_SECRET } });
});
afterAll(async () => {
  await engine?.close();
  await receiver?.close();
});

async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("webhooks", () => {
  it("posts run.finished to the global webhook with a Bearer token and a signature the receiver verifies", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.behaviours:FailWithCauseJob" });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    const log = await engine.final(id);
    const req = await waitFor(() => receiver.requests.find((r) => r.path === "/global" && (r.json as { log_id?: number })?.log_id === id), "the global webhook");
    expect(req.headers.authorization).toBe(`Bearer ${GLOBAL_TOKEN}`);
    expect(signatureValid(req, GLOBAL_SECRET)).toBe(true);
    expect(signatureValid(req, "some-other-secret")).toBe(false);
    expect(req.json).toEqual({
      event: "run.finished",
      job_id: jobId,
      log_id: id,
      status: "FAILURE",
      trigger: "MANUAL",
      message: log.message,
      started_at: log.startedAt!.toISOString(),
      finished_at: log.finishedAt!.toISOString(),
      duration_ms: log.finishedAt!.getTime() - log.startedAt!.getTime(),
      trace_id: log.traceId,
    });
    expect(log.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("posts a signed DingTalk text message to a job webhook set to ALWAYS", async () => {
    const signing = "SECdingtalk-secret";
    const jobId = await engine.createJob({
      handlerPath: "test_jobs.noop:NoopJob",
      webhookUrl: `${receiver.url}/robot/send?access_token=robot-access-token`,
      webhookFormat: "DINGTALK",
      webhookWhen: "ALWAYS",
      webhookSecret: engine.encrypt({ signing_secret: signing }),
    });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    await engine.final(id);
    const req = await waitFor(() => receiver.requests.find((r) => r.path === "/robot/send" && JSON.stringify(r.json).includes(`#${id} `)), "the DingTalk webhook");
    expect(req.json).toEqual({ msgtype: "text", text: { content: expect.stringContaining(`${jobId}: SUCCESS`) } });
    expect(req.query.access_token).toBe("robot-access-token");
    // DingTalk's own scheme: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
    const expected = createHmac("sha256", signing).update(`${req.query.timestamp}\n${signing}`).digest("base64");
    expect(req.query.sign).toBe(expected);
    expect(signatureValid(req, signing)).toBe(true);
  });

  it("a job's own webhook replaces the global one: the global webhook is not called for its runs", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", webhookUrl: `${receiver.url}/own-hook`, webhookWhen: "ALWAYS" });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    const log = await engine.final(id);
    await waitFor(() => receiver.requests.find((r) => r.path === "/own-hook" && (r.json as { log_id?: number })?.log_id === id), "the job's webhook");
    // Deliver once more and wait for it to finish: every target it has has then been called.
    await notifyRunFinished(engine.runtime, log, false);
    const forRun = receiver.requests.filter((r) => (r.json as { log_id?: number })?.log_id === id).map((r) => r.path);
    expect(forRun).toEqual(["/own-hook", "/own-hook"]);
  });

  it("does not call a job webhook set to FAILURE for a successful run, nor the global one in its place", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", webhookUrl: `${receiver.url}/only-failures`, webhookWhen: "FAILURE" });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    const log = await engine.final(id);
    await notifyRunFinished(engine.runtime, log, false);
    expect(receiver.requests.some((r) => r.path === "/only-failures")).toBe(false);
    expect(receiver.requests.some((r) => r.path === "/global" && (r.json as { log_id?: number })?.log_id === id)).toBe(false);
  });

  it("leaves the run SUCCESS when its webhook fails, and notes the failure in the run log and its stream", async () => {
    const jobId = await engine.createJob({ handlerPath: "test_jobs.noop:NoopJob", webhookUrl: `${receiver.url}/down/hook`, webhookWhen: "ALWAYS", webhookFormat: "JSON" });
    const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
    expect((await engine.final(id)).status).toBe("SUCCESS");
    await engine.printed(id, "webhook");
    const log = await engine.runtime.prisma.jobLog.findUniqueOrThrow({ where: { id } });
    expect(log.status).toBe("SUCCESS");
    expect(log.runLog).toMatch(/WARN  job webhook http:\/\/127\.0\.0\.1:\d+\/down\/hook failed after 3 attempts: .*500.*\(the run's status is unaffected\)/);
    expect(receiver.requests.filter((r) => r.path === "/down/hook")).toHaveLength(3);
    expect(log.runLogBytes).toBe(Buffer.byteLength(log.runLog));
    const { text, gaps } = reassemble(engine.outputs, id);
    expect(gaps).toEqual([]);
    expect(text).toBe(log.runLog);
  });
});

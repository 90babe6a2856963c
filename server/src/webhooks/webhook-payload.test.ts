import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildWebhookRequest, robotError, type RunFinishedPayload } from "./webhook-payload.ts";

const payload: RunFinishedPayload = {
  event: "run.finished",
  job_id: "oa.sync",
  log_id: 7,
  status: "FAILURE",
  trigger: "CRON",
  message: "Error: boom\n\nWarnings and errors logged (1):\n- WARN x",
  started_at: "2026-11-23T09:00:00.000Z",
  finished_at: "2026-11-23T09:00:02.500Z",
  duration_ms: 2500,
  trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
};

describe("webhook formats", () => {
  it("WeCom gets its text message shape", () => {
    const req = buildWebhookRequest("WECOM", payload, "Asia/Shanghai", {});
    expect(JSON.parse(req.body)).toEqual({ msgtype: "text", text: { content: expect.stringContaining("oa.sync: FAILURE") } });
    expect(JSON.parse(req.body).text.content).toContain("2026-11-23 17:00:00 +08:00");
    expect(JSON.parse(req.body).text.content).not.toContain("Warnings and errors");
  });

  it("Feishu gets msg_type text with its own timestamp/sign when a secret is set", () => {
    const now = 1_790_000_000_000;
    const req = buildWebhookRequest("FEISHU", payload, "Asia/Shanghai", { signingSecret: "fs" }, now);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ msg_type: "text", content: { text: expect.stringContaining("Run #7") }, timestamp: "1790000000" });
    expect(body.sign).toBe(createHmac("sha256", "1790000000\nfs").update("").digest("base64"));
  });

  it("JSON carries the payload as is, with Bearer and HMAC headers", () => {
    const req = buildWebhookRequest("JSON", payload, "UTC", { bearerToken: "t", signingSecret: "s" });
    expect(JSON.parse(req.body)).toEqual(payload);
    expect(req.headers.authorization).toBe("Bearer t");
    expect(req.headers["x-connecthub-signature"]).toBe(`sha256=${createHmac("sha256", "s").update(req.body).digest("hex")}`);
  });

  it("reads robots' error codes from a 200 answer", () => {
    expect(robotError("DINGTALK", '{"errcode":310000,"errmsg":"sign not match"}')).toContain("310000");
    expect(robotError("FEISHU", '{"code":0,"msg":"success"}')).toBeNull();
    expect(robotError("JSON", '{"errcode":1}')).toBeNull();
  });
});

import { createHmac } from "node:crypto";
import { DateTime } from "luxon";
import type { JobLog } from "../generated/prisma/client.ts";
import type { WebhookFormat } from "../generated/prisma/enums.ts";

/** The JSON body of the `JSON` format. */
export interface RunFinishedPayload {
  event: "run.finished";
  job_id: string;
  log_id: number;
  status: string;
  trigger: string;
  message: string | null;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  /** The run's W3C trace id: the same as in the traceparent of its outbound calls. */
  trace_id: string | null;
}

export function runFinishedPayload(log: JobLog): RunFinishedPayload {
  const duration = log.startedAt && log.finishedAt ? log.finishedAt.getTime() - log.startedAt.getTime() : null;
  return {
    event: "run.finished",
    job_id: log.jobId,
    log_id: log.id,
    status: log.status,
    trigger: log.trigger,
    message: log.message,
    started_at: log.startedAt?.toISOString() ?? null,
    finished_at: log.finishedAt?.toISOString() ?? null,
    duration_ms: duration,
    trace_id: log.traceId ?? null,
  };
}

/** Chat robots cap a text message (WeCom: 2048 bytes); the run log has the rest. */
const ROBOT_MESSAGE_CHARS = 600;

/** The text a chat robot posts. */
export function robotText(payload: RunFinishedPayload, zone: string): string {
  const started = payload.started_at ? DateTime.fromISO(payload.started_at, { zone }).toFormat("yyyy-MM-dd HH:mm:ss ZZ") : "not started";
  const took = payload.duration_ms === null ? "" : ` · ${(payload.duration_ms / 1000).toFixed(1)} s`;
  let message = (payload.message ?? "").split("\n\nWarnings and errors logged")[0] ?? "";
  if (message.length > ROBOT_MESSAGE_CHARS) message = `${message.slice(0, ROBOT_MESSAGE_CHARS)}…`;
  return [`[ConnectHub] ${payload.job_id}: ${payload.status}`, `Run #${payload.log_id} · ${payload.trigger} · started ${started}${took}`, message]
    .filter(Boolean)
    .join("\n");
}

export interface WebhookRequest {
  body: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

export interface WebhookCredentials {
  bearerToken?: string;
  signingSecret?: string;
}

const hmacBase64 = (key: string, data: string) => createHmac("sha256", key).update(data).digest("base64");

/**
 * The request for one format. A signing secret also adds `X-ConnectHub-Signature` (HMAC-SHA256 of
 * the raw body) for every format, and for DingTalk and Feishu robots their own signature scheme,
 * which those robots check when "加签" / signature verification is switched on.
 */
export function buildWebhookRequest(format: WebhookFormat, payload: RunFinishedPayload, zone: string, creds: WebhookCredentials, now = Date.now()): WebhookRequest {
  const query: Record<string, string> = {};
  let body: unknown;
  switch (format) {
    case "JSON":
      body = payload;
      break;
    case "DINGTALK":
      body = { msgtype: "text", text: { content: robotText(payload, zone) } };
      if (creds.signingSecret) {
        query.timestamp = String(now);
        query.sign = hmacBase64(creds.signingSecret, `${now}\n${creds.signingSecret}`);
      }
      break;
    case "WECOM":
      body = { msgtype: "text", text: { content: robotText(payload, zone) } };
      break;
    case "FEISHU": {
      const feishu: Record<string, unknown> = { msg_type: "text", content: { text: robotText(payload, zone) } };
      if (creds.signingSecret) {
        const ts = String(Math.floor(now / 1000));
        feishu.timestamp = ts;
        feishu.sign = hmacBase64(`${ts}\n${creds.signingSecret}`, "");
      }
      body = feishu;
      break;
    }
  }
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "user-agent": "ConnectHub-Webhook" };
  if (creds.bearerToken) headers.authorization = `Bearer ${creds.bearerToken}`;
  if (creds.signingSecret) headers["x-connecthub-signature"] = `sha256=${createHmac("sha256", creds.signingSecret).update(raw).digest("hex")}`;
  return { body: raw, query, headers };
}

/** Chat robots answer HTTP 200 with an error code in the body; null when the answer is a success. */
export function robotError(format: WebhookFormat, text: string): string | null {
  if (format === "JSON") return null;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const code = body.errcode ?? body.code ?? body.StatusCode;
  if (code === undefined || code === 0) return null;
  return `robot answered code ${String(code)}: ${String(body.errmsg ?? body.msg ?? body.StatusMessage ?? "")}`;
}

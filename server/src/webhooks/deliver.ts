import type { WebhookFormat } from "../generated/prisma/enums.ts";
import { BaseClient } from "../integrations/base-client.ts";
import { RETRY_POLICIES } from "../integrations/retry-policy.ts";
import { robotError, type WebhookRequest } from "./webhook-payload.ts";

export interface DeliveryPolicy {
  attempts: number;
  timeoutMs: number;
  /** Pause before retry n (1-based) is backoffMs * 2^(n-1). */
  backoffMs: number;
}

/** Bounded: a dead endpoint costs at most ~3 × 5 s plus 1.5 s of pauses, off the worker slot. */
export const DEFAULT_DELIVERY: DeliveryPolicy = { attempts: 3, timeoutMs: 5_000, backoffMs: 500 };

export class WebhookDeliveryError extends Error {
  override readonly name = "WebhookDeliveryError";
  readonly code = "WEBHOOK_FAILED";
  readonly target: string;
  readonly attempts: number;
  constructor(target: string, detail: string, attempts: number, options?: { cause?: unknown }) {
    super(`webhook ${target} failed after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${detail}`, options);
    this.target = target;
    this.attempts = attempts;
  }
}

/** A URL safe to show: no query (robot keys live there) and long path segments (Feishu hook ids) masked. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname.replace(/[^/]{16,}/g, (s) => `${s.slice(0, 2)}****`)}`;
  } catch {
    return "(invalid URL)";
  }
}

/**
 * POSTs one webhook through BaseClient (typed errors, redacted logs) with the webhook retry policy
 * (integrations/retry-policy.ts): BaseClient never repeats a POST by default, but a webhook is
 * safe to repeat.
 */
export async function deliverWebhook(url: string, format: WebhookFormat, request: WebhookRequest, policy: DeliveryPolicy = DEFAULT_DELIVERY): Promise<void> {
  const target = displayUrl(url);
  const client = new BaseClient({ name: "webhook", baseUrl: url, timeoutMs: policy.timeoutMs, sensitiveKeys: ["access_token", "key"] });
  const retryPolicy = { ...RETRY_POLICIES.webhook, retries: Math.max(0, policy.attempts - 1), delayMs: policy.backoffMs };
  let attempts = 1;
  let text: string;
  try {
    ({ text } = await client.request("POST", url, {
      body: request.body,
      query: request.query,
      headers: request.headers,
      retryPolicy,
      onRetry: (retry) => (attempts = retry + 1),
    }));
  } catch (error) {
    // Errors quote the URL; a Feishu hook id in its path is a credential, so show the safe form.
    const detail = (error instanceof Error ? error.message : String(error)).replace(/https?:\/\/\S+/g, target);
    throw new WebhookDeliveryError(target, detail, attempts, { cause: error });
  }
  // A robot that answers 200 with an error code refused the message: repeating it will not help.
  const refused = robotError(format, text);
  if (refused) throw new WebhookDeliveryError(target, refused, attempts);
}

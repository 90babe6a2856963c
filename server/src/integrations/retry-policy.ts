import { HttpRateLimitedError, HttpServerError, HttpTimeoutError, NetworkError } from "./errors.ts";

/**
 * How a request is retried. One table, used by every caller that retries (integration clients
 * and webhooks), applied by BaseClient's one retry loop.
 *
 * Why not ofetch's own `retry`/`retryDelay`/`retryStatusCodes` (read in ofetch 1.5.1's source):
 * its pause between attempts is a plain timer a cancelled run cannot cut short; with a caller's
 * AbortSignal its `timeout` is ignored, so each attempt could not get its own time limit; and it
 * retries a request the caller aborted unless the abort reason is named "AbortError" (a run's
 * cancel reason is not). Cancel and timeout are what runs depend on, so the loop stays ours.
 */
export interface RetryPolicy {
  /** Extra attempts after the first. */
  readonly retries: number;
  /** First pause; doubles with each retry. */
  readonly delayMs: number;
  /** Ceiling of one pause. */
  readonly maxDelayMs: number;
  /** Whether non-idempotent methods (POST, PATCH) may be sent again: a webhook may, an API write may not. */
  readonly anyMethod: boolean;
}

export const RETRY_POLICIES = {
  /** Integration clients (BaseClient's defaults): GET/PUT/DELETE/… only. */
  client: { retries: 2, delayMs: 250, maxDelayMs: 4_000, anyMethod: false },
  /** Webhooks: safe to repeat; bounded so a dead endpoint costs ~3 × its timeout plus 1.5 s of pauses. */
  webhook: { retries: 2, delayMs: 500, maxDelayMs: 4_000, anyMethod: true },
} as const satisfies Record<string, RetryPolicy>;

/** The pause before retry `retry` (1-based). */
export function retryDelayMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.delayMs * 2 ** (retry - 1));
}

/** Failures worth another attempt: the network, a timeout, a 5xx, a 429 (the server asks to come back). */
export function isRetryableFailure(error: unknown): error is NetworkError | HttpTimeoutError | HttpServerError | HttpRateLimitedError {
  return error instanceof NetworkError || error instanceof HttpTimeoutError || error instanceof HttpServerError || error instanceof HttpRateLimitedError;
}

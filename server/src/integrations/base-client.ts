import { ofetch } from "ofetch";
import type { Logger } from "pino";
import { logger as processLogger } from "../logging/logger.ts";
import { outboundTraceparent } from "../observability/trace-context.ts";
import { startSpan, traced } from "../observability/tracing.ts";
import {
  HttpResponseFormatError,
  HttpTimeoutError,
  NetworkError,
  httpErrorFor,
} from "./errors.ts";
import { Redactor } from "./redact.ts";
import { isRetryableFailure, RETRY_POLICIES, retryDelayMs, type RetryPolicy } from "./retry-policy.ts";
import { abortReason, sleep } from "./sleep.ts";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** Methods a server may safely receive twice; only these are retried. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

const BODY_EXCERPT_CHARS = 500;
const LOG_BODY_CHARS = 2_000;

export interface BaseClientOptions {
  /** Short name used in log lines (`client`) and error messages, e.g. "seeyon". */
  name: string;
  /** Scheme, host and optional path prefix; request paths are appended to it. */
  baseUrl: string;
  /** Per-attempt limit for the whole exchange, body included. Default 30 s. */
  timeoutMs?: number;
  /** Extra attempts for idempotent methods after a network error, timeout or 5xx. Default 2. */
  retries?: number;
  /** First backoff pause; doubles each retry. Default 250 ms. */
  retryDelayMs?: number;
  /** Ceiling for one backoff pause. Default 4 s. */
  maxRetryDelayMs?: number;
  /** Aborts every request of this client (pass the run's `ctx.signal`). */
  signal?: AbortSignal;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /**
   * Where request/response lines go. Default: the process logger looked up at call time, so
   * lines written during a run land in that run's log.
   */
  logger?: Logger;
  /** Field names to redact in addition to the built-in ones (password, token, sign, …). */
  sensitiveKeys?: string[];
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Objects are sent as JSON; strings, URLSearchParams and buffers as they are. */
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Aborts this request only (in addition to the client's signal). */
  signal?: AbortSignal;
  /** Overrides the client's retry count for this request (still idempotent methods only). */
  retries?: number;
  /** Retries this request by another policy of the table (e.g. RETRY_POLICIES.webhook for a POST safe to repeat). */
  retryPolicy?: RetryPolicy;
  /** Told each time an attempt has failed and another follows (1-based). */
  onRetry?: (retry: number) => void;
  /** Extra field names to redact in this exchange's logs, e.g. a response whose `id` is a token. */
  sensitiveKeys?: string[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The URL as sent. May contain credentials: never log it; errors carry a redacted copy. */
  url: string;
  durationMs: number;
}

/**
 * The one HTTP wrapper every integration goes through: timeouts, retries with exponential
 * backoff (idempotent methods only), cancellation, redacted structured logs, and typed errors
 * for every non-2xx status.
 */
export class BaseClient {
  readonly name: string;
  readonly baseUrl: string;
  protected readonly redactor: Redactor;
  private readonly timeoutMs: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly signal: AbortSignal | undefined;
  private readonly defaultHeaders: Record<string, string>;
  private readonly fixedLogger: Logger | undefined;

  constructor(options: BaseClientOptions) {
    this.name = options.name;
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retryPolicy = {
      ...RETRY_POLICIES.client,
      retries: options.retries ?? RETRY_POLICIES.client.retries,
      delayMs: options.retryDelayMs ?? RETRY_POLICIES.client.delayMs,
      maxDelayMs: options.maxRetryDelayMs ?? RETRY_POLICIES.client.maxDelayMs,
    };
    this.signal = options.signal;
    this.defaultHeaders = options.headers ?? {};
    this.fixedLogger = options.logger;
    this.redactor = new Redactor(options.sensitiveKeys);
  }

  /** Sends a request; resolves only for 2xx, otherwise throws a typed error. */
  async request(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const policy = options.retryPolicy ?? { ...this.retryPolicy, retries: options.retries ?? this.retryPolicy.retries };
    const retries = policy.anyMethod || IDEMPOTENT_METHODS.has(method) ? Math.max(0, policy.retries) : 0;
    const redactor = this.redactor.withKeys(options.sensitiveKeys);
    for (let attempt = 1; ; attempt++) {
      try {
        return await traced(startSpan(`HTTP ${method}`, "client", { "http.request.method": method, "connecthub.client": this.name }), (spanId) => this.attempt(method, path, options, attempt, redactor, spanId));
      } catch (error) {
        if (!isRetryableFailure(error) || attempt > retries) throw error;
        const delayMs = retryDelayMs(policy, attempt);
        options.onRetry?.(attempt);
        this.log().warn(
          { method, url: error.url, attempt, retry_in_ms: delayMs, error_code: error.code },
          `${method} ${error.url} failed (${error.code}); retry ${attempt}/${retries} in ${delayMs} ms`,
        );
        await sleep(delayMs, anySignal([this.signal, options.signal]));
      }
    }
  }

  async getJson<T = unknown>(path: string, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    const res = await this.request("GET", path, withAccept(options));
    return this.parseJson<T>(res, "GET");
  }

  async postJson<T = unknown>(path: string, body: unknown, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    const res = await this.request("POST", path, { ...withAccept(options), body });
    return this.parseJson<T>(res, "POST");
  }

  /** Parses a response body as JSON or throws HttpResponseFormatError. */
  protected parseJson<T>(res: HttpResponse, method: HttpMethod): T {
    try {
      return JSON.parse(res.text) as T;
    } catch {
      const problem = res.text.trim() === "" ? "an empty body where JSON was expected" : "a body that is not JSON";
      throw new HttpResponseFormatError(
        this.name,
        method,
        this.redactor.url(res.url),
        problem,
        this.redactor.body(res.text, BODY_EXCERPT_CHARS),
      );
    }
  }

  /** The logger for this call: fixed at construction, or the process logger as it is right now. */
  protected log(): Logger {
    return (this.fixedLogger ?? processLogger()).child({ client: this.name });
  }

  /** Aborted when the client's or the given signal aborts. */
  protected signalFor(extra?: AbortSignal): AbortSignal | undefined {
    return anySignal([this.signal, extra]);
  }

  private async attempt(
    method: HttpMethod,
    path: string,
    options: RequestOptions,
    attempt: number,
    redactor: Redactor,
    spanId?: string,
  ): Promise<HttpResponse> {
    const url = buildUrl(this.baseUrl, path, options.query);
    // The run's trace (W3C traceparent) goes with every call, so the other side can correlate.
    const headers = { traceparent: outboundTraceparent(spanId), ...this.defaultHeaders, ...options.headers };
    redactor.learnFrom([options.query, headers, options.body]);
    const safeUrl = redactor.url(url);
    // Messages name the endpoint; the query (redacted) is in the line's `url` field once, not twice.
    const shownUrl = withoutQuery(safeUrl);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const callerSignal = anySignal([this.signal, options.signal]);
    if (callerSignal?.aborted) throw abortReason(callerSignal);

    const log = this.log();
    if (log.isLevelEnabled("debug")) {
      log.debug(
        { method, url: safeUrl, attempt, headers: redactor.headers(headers), body: redactor.body(options.body, LOG_BODY_CHARS) },
        `${method} ${shownUrl}`,
      );
    }

    // Our own timer rather than ofetch's `timeout`, which ofetch ignores whenever a signal is
    // given; it also lets us tell a timeout apart from the caller cancelling.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error("timeout")), timeoutMs);
    const signal = anySignal([timeout.signal, callerSignal])!;
    const started = performance.now();
    let raw;
    try {
      raw = await ofetch.raw(url, {
        method,
        headers,
        body: options.body as never,
        signal,
        retry: false, // retries are ours (request() above; why not ofetch's: retry-policy.ts)
        ignoreResponseError: true, // statuses are mapped to typed errors below
        responseType: "text",
      });
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      if (callerSignal?.aborted) throw abortReason(callerSignal);
      const failure = timeout.signal.aborted
        ? new HttpTimeoutError(this.name, method, safeUrl, timeoutMs)
        : new NetworkError(this.name, method, safeUrl, (error as { cause?: unknown }).cause ?? error);
      log.warn(
        { method, url: safeUrl, attempt, duration_ms: durationMs, error_code: failure.code, error: redactor.text(failure.message) },
        `${method} ${shownUrl} failed: ${failure.code}`,
      );
      throw failure;
    } finally {
      clearTimeout(timer);
    }

    const durationMs = Math.round(performance.now() - started);
    const text = typeof raw._data === "string" ? raw._data : "";
    const fields = { method, url: safeUrl, status: raw.status, duration_ms: durationMs, attempt };
    const ok = raw.status >= 200 && raw.status < 300;
    if (log.isLevelEnabled("debug")) {
      log.debug(
        { ...fields, response_headers: redactor.headers(raw.headers), response_body: redactor.body(text, LOG_BODY_CHARS) },
        `${method} ${shownUrl} → ${raw.status} body`,
      );
    }
    if (!ok) {
      log.warn(fields, `${method} ${shownUrl} → ${raw.status} (${durationMs} ms)`);
      throw httpErrorFor({
        client: this.name,
        method,
        url: safeUrl,
        status: raw.status,
        statusText: raw.statusText,
        bodyExcerpt: redactor.body(text, BODY_EXCERPT_CHARS),
      });
    }
    log.info(fields, `${method} ${shownUrl} → ${raw.status} (${durationMs} ms)`);
    return { status: raw.status, headers: raw.headers, text, url, durationMs };
  }
}

/** Joins base URL, path and query; `null`/`undefined` query values are left out. */
export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const joined = /^https?:\/\//i.test(path)
    ? path
    : `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined) params.append(key, String(value));
  }
  const qs = params.toString();
  if (!qs) return joined;
  return `${joined}${joined.includes("?") ? "&" : "?"}${qs}`;
}

function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

function anySignal(signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

function withAccept<O extends RequestOptions>(options: O): O {
  return { ...options, headers: { accept: "application/json", ...options.headers } };
}

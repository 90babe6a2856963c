// Typed errors for calls to external systems. Every failure is thrown as one of these (or the
// caller's abort reason), never returned as data; each carries a stable `code` that callers,
// the job log and the admin can match on. URLs and body excerpts are already redacted.

export interface HttpErrorDetails {
  /** The client's name, e.g. "seeyon" or "didi". */
  client: string;
  method: string;
  /** Redacted URL. */
  url: string;
  status: number;
  statusText?: string;
  /** A short, redacted excerpt of the response body. */
  bodyExcerpt: string;
}

/** Base class of every error raised by the integration layer. */
export abstract class IntegrationError extends Error {
  abstract readonly code: string;
}

/** The server answered with a status outside 2xx. Subclasses narrow it by status. */
export class HttpError extends IntegrationError {
  override readonly name: string = "HttpError";
  readonly code: string = "HTTP_ERROR";
  readonly client: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly bodyExcerpt: string;

  constructor(details: HttpErrorDetails, hint = "") {
    const status = `${details.status}${details.statusText ? ` ${details.statusText}` : ""}`;
    const body = details.bodyExcerpt ? ` Response: ${details.bodyExcerpt}` : "";
    super(`${details.client}: ${details.method} ${details.url} answered ${status}.${hint ? ` ${hint}` : ""}${body}`);
    this.client = details.client;
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.bodyExcerpt = details.bodyExcerpt;
  }
}

/** Any 4xx not covered by a narrower class: the request itself is wrong. */
export class HttpClientError extends HttpError {
  override readonly name: string = "HttpClientError";
  override readonly code: string = "HTTP_CLIENT_ERROR";
  constructor(details: HttpErrorDetails, hint = "The request was rejected; check the job's parameters.") {
    super(details, hint);
  }
}

export class HttpUnauthorizedError extends HttpClientError {
  override readonly name = "HttpUnauthorizedError";
  override readonly code = "HTTP_UNAUTHORIZED";
  constructor(details: HttpErrorDetails) {
    super(details, "Check the credentials in the job's secret config.");
  }
}

export class HttpForbiddenError extends HttpClientError {
  override readonly name = "HttpForbiddenError";
  override readonly code = "HTTP_FORBIDDEN";
  constructor(details: HttpErrorDetails) {
    super(details, "The account is known but lacks permission for this call; ask the system's administrator.");
  }
}

export class HttpNotFoundError extends HttpClientError {
  override readonly name = "HttpNotFoundError";
  override readonly code = "HTTP_NOT_FOUND";
  constructor(details: HttpErrorDetails) {
    super(details, "Check the base URL and path in the job's config.");
  }
}

export class HttpRateLimitedError extends HttpClientError {
  override readonly name = "HttpRateLimitedError";
  override readonly code = "HTTP_RATE_LIMITED";
  constructor(details: HttpErrorDetails) {
    super(details, "The system is throttling us; space the calls further apart or run less often.");
  }
}

/** 5xx: the remote system failed. Retried automatically for idempotent methods only. */
export class HttpServerError extends HttpError {
  override readonly name = "HttpServerError";
  override readonly code = "HTTP_SERVER_ERROR";
  constructor(details: HttpErrorDetails) {
    super(details, "The remote system failed; retry later or ask its administrator.");
  }
}

/** Maps a non-2xx status to its error class. */
export function httpErrorFor(details: HttpErrorDetails): HttpError {
  const { status } = details;
  if (status === 401) return new HttpUnauthorizedError(details);
  if (status === 403) return new HttpForbiddenError(details);
  if (status === 404) return new HttpNotFoundError(details);
  if (status === 429) return new HttpRateLimitedError(details);
  if (status >= 500) return new HttpServerError(details);
  if (status >= 400) return new HttpClientError(details);
  return new HttpError(details, "Unexpected status.");
}

/** No complete answer within the per-request timeout. */
export class HttpTimeoutError extends IntegrationError {
  override readonly name = "HttpTimeoutError";
  readonly code = "HTTP_TIMEOUT";
  readonly client: string;
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;
  constructor(
    client: string,
    method: string,
    url: string,
    timeoutMs: number,
  ) {
    super(
      `${client}: ${method} ${url} did not answer within ${timeoutMs} ms. ` +
        "The system may be slow or unreachable; check it, or raise the client's timeout.",
    );
    this.client = client;
    this.method = method;
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}

/** The connection failed before any HTTP answer (DNS, refused, reset, TLS). */
export class NetworkError extends IntegrationError {
  override readonly name = "NetworkError";
  readonly code = "NETWORK_ERROR";
  readonly client: string;
  readonly method: string;
  readonly url: string;
  constructor(
    client: string,
    method: string,
    url: string,
    cause: unknown,
  ) {
    super(
      `${client}: ${method} ${url} failed before any answer (${describeCause(cause)}). ` +
        "Check the base URL and that the system is reachable from this server.",
      { cause },
    );
    this.client = client;
    this.method = method;
    this.url = url;
  }
}

/** A 2xx answer whose body is not what the caller needs (not JSON, missing a field). */
export class HttpResponseFormatError extends IntegrationError {
  override readonly name = "HttpResponseFormatError";
  readonly code = "HTTP_BAD_RESPONSE";
  readonly client: string;
  readonly method: string;
  readonly url: string;
  readonly bodyExcerpt: string;
  constructor(
    client: string,
    method: string,
    url: string,
    problem: string,
    bodyExcerpt: string,
  ) {
    super(
      `${client}: ${method} ${url} answered with ${problem}. ` +
        `Check that the base URL points at the right system.${bodyExcerpt ? ` Response: ${bodyExcerpt}` : ""}`,
    );
    this.client = client;
    this.method = method;
    this.url = url;
    this.bodyExcerpt = bodyExcerpt;
  }
}

function describeCause(cause: unknown): string {
  // undici hides the useful part (ECONNREFUSED, ENOTFOUND…) one or two levels down.
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current; depth++) {
    const err = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof err.code === "string") return `${err.code}${typeof err.message === "string" ? `: ${err.message}` : ""}`;
    if (!err.cause) return typeof err.message === "string" ? err.message : String(current);
    current = err.cause;
  }
  return String(cause);
}

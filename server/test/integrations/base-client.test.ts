import { PassThrough } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BaseClient, buildUrl } from "../../src/integrations/base-client.ts";
import { RETRY_POLICIES } from "../../src/integrations/retry-policy.ts";
import {
  HttpClientError,
  HttpError,
  HttpNotFoundError,
  HttpRateLimitedError,
  HttpResponseFormatError,
  HttpServerError,
  HttpTimeoutError,
  HttpUnauthorizedError,
  NetworkError,
} from "../../src/integrations/errors.ts";
import { withLogContext, type LogRecord } from "../../src/logging/log-context.ts";
import { configureLogger } from "../../src/logging/logger.ts";
import { startHttpStandIn, type HttpStandIn } from "../stand-ins/http-stand-in.ts";
import { memoryLogger } from "../stand-ins/memory-logger.ts";

let server: HttpStandIn;

beforeAll(async () => {
  server = await startHttpStandIn((req) => {
    if (req.path === "/status") return { status: Number(req.query.code), body: { message: `status ${req.query.code}` } };
    if (req.path === "/echo") return { status: 400, body: { received: req.json, header: req.headers.token } };
    if (req.path === "/text") return { status: 200, body: "<html>not json</html>" };
    return { status: 200, body: { ok: true, method: req.method, query: req.query, json: req.json } };
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.faults.reset();
});

function client(overrides: Partial<ConstructorParameters<typeof BaseClient>[0]> = {}) {
  const log = memoryLogger();
  const c = new BaseClient({ name: "test", baseUrl: server.url, retryDelayMs: 10, logger: log.logger, ...overrides });
  return { c, log };
}

describe("BaseClient requests", () => {
  it("sends query and JSON body, parses JSON, and logs method, url, status and duration", async () => {
    const { c, log } = client();
    const data = await c.postJson<{ json: unknown; query: unknown }>("/things", { a: 1 }, { query: { page: 2, skip: undefined } });
    expect(data.json).toEqual({ a: 1 });
    expect(data.query).toEqual({ page: "2" });
    const line = log.records().find((r) => r.status === 200);
    expect(line).toMatchObject({ client: "test", method: "POST", url: `${server.url}/things?page=2`, status: 200 });
    expect(typeof line?.duration_ms).toBe("number");
  });

  it("joins base URL and path whatever their slashes", () => {
    expect(buildUrl("http://h/base/", "/x", { a: "1" })).toBe("http://h/base/x?a=1");
    expect(buildUrl("http://h", "x?b=2", { a: "1" })).toBe("http://h/x?b=2&a=1");
  });

  it("throws HttpResponseFormatError when JSON was expected and the body is not JSON", async () => {
    const { c } = client();
    await expect(c.getJson("/text")).rejects.toBeInstanceOf(HttpResponseFormatError);
  });
});

describe("BaseClient status mapping", () => {
  it.each([
    [400, HttpClientError, "HTTP_CLIENT_ERROR"],
    [401, HttpUnauthorizedError, "HTTP_UNAUTHORIZED"],
    [404, HttpNotFoundError, "HTTP_NOT_FOUND"],
    [429, HttpRateLimitedError, "HTTP_RATE_LIMITED"],
    [500, HttpServerError, "HTTP_SERVER_ERROR"],
  ])("maps %i to its error class with a stable code", async (status, cls, code) => {
    const { c } = client({ retries: 0 });
    const error = await c.getJson("/status", { query: { code: status } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(HttpError);
    const e = error as HttpError;
    expect(e.code).toBe(code);
    expect(e.status).toBe(status);
    expect(e.method).toBe("GET");
    expect(e.url).toBe(`${server.url}/status?code=${status}`);
    expect(e.bodyExcerpt).toContain(`status ${status}`);
    expect(e.message).toContain(`answered ${status}`);
  });
});

describe("BaseClient retries", () => {
  it("retries a GET after 5xx answers and returns the eventual success", async () => {
    const { c, log } = client({ retries: 2 });
    server.faults.failNext(2, { status: 503 });
    await expect(c.getJson("/ok")).resolves.toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(3);
    expect(log.records().filter((r) => String(r.msg).includes("retry"))).toHaveLength(2);
  });

  it("retries a GET answered 429 (the server asks to come back)", async () => {
    const { c } = client({ retries: 1 });
    server.faults.failNext(1, { status: 429 });
    await expect(c.getJson("/ok")).resolves.toMatchObject({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it("repeats a POST only under a policy that allows it (the webhook one), counting its retries", async () => {
    const { c } = client();
    server.faults.failNext(2, { status: 500 });
    const retries: number[] = [];
    await c.request("POST", "/ok", { body: { a: 1 }, retryPolicy: { ...RETRY_POLICIES.webhook, delayMs: 5 }, onRetry: (n) => retries.push(n) });
    expect(server.requests).toHaveLength(3);
    expect(retries).toEqual([1, 2]);
  });

  it("never retries a POST after a 5xx", async () => {
    const { c } = client({ retries: 3 });
    server.faults.failNext(1, { status: 502 });
    await expect(c.postJson("/ok", { a: 1 })).rejects.toBeInstanceOf(HttpServerError);
    expect(server.requests).toHaveLength(1);
  });

  it("gives up after the configured retries with the last HttpServerError", async () => {
    const { c } = client({ retries: 1 });
    server.faults.failNext(5, { status: 500 });
    await expect(c.getJson("/ok")).rejects.toMatchObject({ code: "HTTP_SERVER_ERROR", status: 500 });
    expect(server.requests).toHaveLength(2);
  });

  it("does not retry 4xx answers", async () => {
    const { c } = client({ retries: 3 });
    await expect(c.getJson("/status", { query: { code: 404 } })).rejects.toBeInstanceOf(HttpNotFoundError);
    expect(server.requests).toHaveLength(1);
  });

  it("backs off exponentially between retries", async () => {
    const { c, log } = client({ retries: 3, retryDelayMs: 60 });
    server.faults.failNext(3, { status: 503 });
    const started = performance.now();
    await c.getJson("/ok");
    expect(log.records().filter((r) => r.retry_in_ms !== undefined).map((r) => r.retry_in_ms)).toEqual([60, 120, 240]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(420);
  });
});

describe("BaseClient timeouts, network errors and cancellation", () => {
  it("throws HttpTimeoutError when the answer is slower than the timeout", async () => {
    const { c } = client({ timeoutMs: 100, retries: 0 });
    server.faults.setDelay(1_000);
    const started = performance.now();
    const error = await c.getJson("/ok").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect((error as HttpTimeoutError).code).toBe("HTTP_TIMEOUT");
    expect(performance.now() - started).toBeLessThan(900);
  });

  it("retries a timed-out GET but not a timed-out POST", async () => {
    const { c } = client({ timeoutMs: 80, retries: 1 });
    server.faults.setDelay(1_000);
    await expect(c.getJson("/ok")).rejects.toBeInstanceOf(HttpTimeoutError);
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
    await expect(c.postJson("/ok", {})).rejects.toBeInstanceOf(HttpTimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it("throws NetworkError naming the cause when nothing listens", async () => {
    const closed = await startHttpStandIn(() => ({ status: 200 }));
    await closed.close();
    const { c } = client({ baseUrl: closed.url, retries: 1 });
    const error = await c.getJson("/ok").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).message).toContain("ECONNREFUSED");
  });

  it("rejects with the caller's abort reason, not a timeout, when the run is cancelled mid-request", async () => {
    const controller = new AbortController();
    const { c } = client({ signal: controller.signal, timeoutMs: 5_000 });
    server.faults.setDelay(2_000);
    const reason = new Error("run cancelled");
    setTimeout(() => controller.abort(reason), 50);
    const started = performance.now();
    await expect(c.getJson("/ok")).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("stops retrying when cancelled during the backoff pause", async () => {
    const controller = new AbortController();
    const { c } = client({ retries: 5, retryDelayMs: 500 });
    server.faults.failNext(10, { status: 503 });
    setTimeout(() => controller.abort(new Error("stop")), 100);
    await expect(c.getJson("/ok", { signal: controller.signal })).rejects.toThrow("stop");
    expect(server.requests).toHaveLength(1);
  });
});

describe("BaseClient redaction", () => {
  it("keeps tokens, passwords and signatures out of every log line and error, even when echoed back", async () => {
    const { c, log } = client({ retries: 0 });
    const error = await c
      .request("POST", "/echo", {
        query: { access_token: "tok-QUERY-123456", sign: "sig-abcdef123456", page: 1 },
        headers: { token: "tok-HEADER-123456" },
        body: { userName: "u", password: "pw-BODY-123456", nested: { client_secret: "cs-BODY-123456" } },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpClientError);
    const everything = `${log.text()}\n${(error as Error).message}`;
    for (const secret of ["tok-QUERY-123456", "sig-abcdef123456", "tok-HEADER-123456", "pw-BODY-123456", "cs-BODY-123456"]) {
      expect(everything).not.toContain(secret);
    }
    // The request was really sent with them, and logged (redacted) at debug level.
    expect(server.requests[0]?.query.access_token).toBe("tok-QUERY-123456");
    expect(log.records().some((r) => r.level === 20 && String(r.body).includes("userName"))).toBe(true);
  });
});

describe("BaseClient logging", () => {
  it("writes through the process logger as configured at call time, not at construction", async () => {
    const c = new BaseClient({ name: "late", baseUrl: server.url });
    const sink = new PassThrough();
    const lines: string[] = [];
    sink.on("data", (chunk: Buffer) => lines.push(chunk.toString()));
    await configureLogger({ level: "info", logDir: null, extraStream: sink });
    await c.getJson("/ok");
    expect(lines.join("")).toContain('"client":"late"');
  });

  it("lands in the run's captured log when called inside a run's log context", async () => {
    await configureLogger({ level: "info", logDir: null });
    const c = new BaseClient({ name: "captured", baseUrl: server.url });
    const captured: LogRecord[] = [];
    await withLogContext({ fields: { job_id: "j1", log_id: 7 }, capture: (r) => captured.push(r) }, () => c.getJson("/ok"));
    expect(captured.find((r) => r.client === "captured")).toMatchObject({ job_id: "j1", log_id: 7, status: 200 });
  });
});

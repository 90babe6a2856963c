// The plumbing shared by the loopback stand-ins for external systems: a real node:http server
// on 127.0.0.1 with an ephemeral port, a record of every request, and fault injection
// (5xx for the next N calls, slow answers) that tests switch on and off.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** performance.now() when the request arrived; for spacing assertions. */
  at: number;
}

export interface Reply {
  status: number;
  /** Objects are sent as JSON; strings as text/plain unless a content-type header is given. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

/** Matches a request path: exact string, regular expression, or any path when absent. */
export type PathMatcher = string | RegExp | undefined;

export interface Faults {
  /** Answer the next `count` matching requests with `status` (default 503) instead of handling them. */
  failNext(count: number, options?: { status?: number; path?: PathMatcher; body?: unknown }): void;
  /** Hold matching answers for `ms` before sending them (0 turns it off). */
  setDelay(ms: number, path?: PathMatcher): void;
  /** Drops pending failures and the delay. */
  reset(): void;
}

export interface HttpStandIn {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** Every request received, in order (faulted and delayed ones included). */
  requests: RecordedRequest[];
  faults: Faults;
  close(): Promise<void>;
}

interface PendingFailure {
  remaining: number;
  status: number;
  path: PathMatcher;
  body: unknown;
}

export async function startHttpStandIn(handler: Handler): Promise<HttpStandIn> {
  const requests: RecordedRequest[] = [];
  const failures: PendingFailure[] = [];
  let delay: { ms: number; path: PathMatcher } = { ms: 0, path: undefined };
  const closing = new AbortController();

  const server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) send(res, { status: 500, body: { error: String(error) } });
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const recorded = await record(req);
    requests.push(recorded);
    if (delay.ms > 0 && matches(delay.path, recorded.path)) {
      await pause(delay.ms, closing.signal);
    }
    if (res.destroyed || closing.signal.aborted) return;
    const failure = failures.find((f) => f.remaining > 0 && matches(f.path, recorded.path));
    if (failure) {
      failure.remaining--;
      send(res, { status: failure.status, body: failure.body ?? { error: "injected failure" } });
      return;
    }
    send(res, await handler(recorded));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    faults: {
      failNext(count, options = {}) {
        failures.push({ remaining: count, status: options.status ?? 503, path: options.path, body: options.body });
      },
      setDelay(ms, path) {
        delay = { ms, path };
      },
      reset() {
        failures.length = 0;
        delay = { ms: 0, path: undefined };
      },
    },
    async close() {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function record(req: IncomingMessage): Promise<RecordedRequest> {
  const at = performance.now(); // on arrival, before the body is read
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const url = new URL(req.url ?? "/", "http://stand-in");
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams.entries()),
    headers: req.headers,
    body,
    json,
    at,
  };
}

function send(res: ServerResponse, reply: Reply): void {
  const isText = typeof reply.body === "string";
  const payload = reply.body === undefined ? "" : isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(payload)),
    ...reply.headers,
  });
  res.end(payload);
}

function matches(matcher: PathMatcher, path: string): boolean {
  if (matcher === undefined) return true;
  return typeof matcher === "string" ? matcher === path : matcher.test(path);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

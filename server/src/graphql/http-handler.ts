import type { IncomingMessage, ServerResponse } from "node:http";
import { getOperationAST, parse } from "graphql";
import type { RouteHandler } from "../http/http-server.ts";
import type { Runtime } from "../runtime.ts";
import { AuthError, clientIp, credentialsFromHttp, UnauthenticatedError, type LiveCredentials } from "../security/auth/index.ts";
import type { GraphQLServer } from "./yoga.ts";

function refuse(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/graphql-response+json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

function refuseAuth(res: ServerResponse, error: AuthError): void {
  refuse(res, error.status, error.code, error.message, error.status === 401 ? { "www-authenticate": 'Bearer realm="connecthub"' } : {});
}

/**
 * Refuses a body over HTTP_MAX_BODY_BYTES before reading it: the declared Content-Length is what
 * Node's parser lets through, so checking it bounds what Yoga buffers. A body without a length
 * (chunked) cannot be bounded up front and is refused with 411.
 */
function bodyRefused(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return false;
  const declared = req.headers["content-length"];
  if (declared === undefined) {
    if (req.headers["transfer-encoding"] === undefined) return false;
    refuse(res, 411, "LENGTH_REQUIRED", "Send the request body with a Content-Length header.");
    return true;
  }
  if (Number(declared) > maxBytes) {
    refuse(res, 413, "REQUEST_TOO_LARGE", `The request body is ${declared} bytes; the limit is ${maxBytes} (HTTP_MAX_BODY_BYTES).`);
    // Discarded as it arrives (nothing is buffered): closing with unread data would reset the
    // connection and the client would never see this answer.
    req.resume();
    return true;
  }
  return false;
}

/**
 * A subscription over SSE by GET, as a browser's `EventSource` sends it: it cannot add headers, so
 * it carries the session cookie but no CSRF header. Such a request only reads — GET never runs a
 * mutation in Yoga, and a subscription is checked here — and the SameSite=Lax cookie does not
 * travel on another site's EventSource, so CSRF protection for writes is unchanged.
 */
function isSubscriptionByGet(req: IncomingMessage): boolean {
  if (req.method !== "GET" || !(req.headers.accept ?? "").includes("text/event-stream")) return false;
  const params = new URL(req.url ?? "/", "http://localhost").searchParams;
  const query = params.get("query");
  if (!query) return false;
  try {
    return getOperationAST(parse(query), params.get("operationName"))?.operation === "subscription";
  } catch {
    return false;
  }
}

/**
 * /graphql over HTTP (queries, mutations, SSE subscriptions). Every operation needs credentials;
 * only the GraphiQL page (a GET asking for HTML, which executes nothing) and CORS preflights load
 * without them. An SSE stream is tracked like a WebSocket: it ends when its credentials end.
 */
export function graphqlHttpHandler(runtime: Runtime, yoga: GraphQLServer, live: LiveCredentials): RouteHandler {
  return async (req, res) => {
    if (req.method === "OPTIONS") return void (await yoga(req, res, { principal: null, session: null }));
    if (bodyRefused(req, res, runtime.config.HTTP_MAX_BODY_BYTES)) return;
    const wantsPage = req.method === "GET" && (req.headers.accept ?? "").includes("text/html");
    let credentials = null;
    try {
      credentials = await credentialsFromHttp(runtime.prisma, req.headers, { requireCsrf: !wantsPage && !isSubscriptionByGet(req) });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      if (!wantsPage) return refuseAuth(res, error);
    }
    if (!credentials && !wantsPage) return refuseAuth(res, new UnauthenticatedError());
    if (credentials && (req.headers.accept ?? "").includes("text/event-stream")) {
      const untrack = live.track(credentials, () => res.destroy());
      res.once("close", untrack);
    }
    const client = { address: clientIp(req, runtime.config.TRUST_PROXY), userAgent: req.headers["user-agent"] ?? null };
    await yoga(req, res, { principal: credentials?.principal ?? null, session: credentials?.session ?? null, client });
  };
}

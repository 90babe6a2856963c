import type { IncomingMessage, ServerResponse } from "node:http";
import { getOperationAST, parse } from "graphql";
import type { RouteHandler } from "../http/http-server.ts";
import type { Runtime } from "../runtime.ts";
import { AuthError, credentialsFromHttp, UnauthenticatedError } from "../security/auth/index.ts";
import type { GraphQLServer } from "./yoga.ts";

function refuse(res: ServerResponse, error: AuthError): void {
  res.writeHead(error.status, {
    "content-type": "application/graphql-response+json; charset=utf-8",
    "cache-control": "no-store",
    ...(error.status === 401 ? { "www-authenticate": 'Bearer realm="connecthub"' } : {}),
  });
  res.end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] }));
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
 * only the GraphiQL page (a GET asking for HTML, which executes nothing) loads without them.
 */
export function graphqlHttpHandler(runtime: Runtime, yoga: GraphQLServer): RouteHandler {
  return async (req, res) => {
    const wantsPage = req.method === "GET" && (req.headers.accept ?? "").includes("text/html");
    let credentials = null;
    try {
      credentials = await credentialsFromHttp(runtime.prisma, req.headers, { requireCsrf: !wantsPage && !isSubscriptionByGet(req) });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      if (!wantsPage) return refuse(res, error);
    }
    if (!credentials && !wantsPage) return refuse(res, new UnauthenticatedError());
    await yoga(req, res, { principal: credentials?.principal ?? null, session: credentials?.session ?? null });
  };
}

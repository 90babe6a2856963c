import type { ServerResponse } from "node:http";
import type { RouteHandler } from "../http/http-server.ts";
import type { Runtime } from "../runtime.ts";
import { AuthError, clientIp, credentialsFromHttp, UnauthenticatedError } from "../security/auth/index.ts";
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
 * /graphql over HTTP (queries, mutations, SSE subscriptions). Every operation needs credentials;
 * only the GraphiQL page (a GET asking for HTML, which executes nothing) loads without them.
 */
export function graphqlHttpHandler(runtime: Runtime, yoga: GraphQLServer): RouteHandler {
  return async (req, res) => {
    const wantsPage = req.method === "GET" && (req.headers.accept ?? "").includes("text/html");
    let credentials = null;
    try {
      credentials = await credentialsFromHttp(runtime.prisma, req.headers, { requireCsrf: !wantsPage });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      if (!wantsPage) return refuse(res, error);
    }
    if (!credentials && !wantsPage) return refuse(res, new UnauthenticatedError());
    const client = { address: clientIp(req, runtime.config.TRUST_PROXY), userAgent: req.headers["user-agent"] ?? null };
    await yoga(req, res, { principal: credentials?.principal ?? null, session: credentials?.session ?? null, client });
  };
}

import path from "node:path";
import type { AppPart } from "../app.ts";
import { authRoutes } from "../http/auth-routes.ts";
import type { HttpServer } from "../http/http-server.ts";
import type { Runtime } from "../runtime.ts";
import { ensureFirstAdmin } from "../security/auth/index.ts";
import { graphiqlAssets, GRAPHIQL_ASSETS_PATH } from "./graphiql-page.ts";
import { graphqlHttpHandler } from "./http-handler.ts";
import { attachWebSocketServer } from "./ws-server.ts";
import { createGraphQLServer } from "./yoga.ts";

/** Mounts the GraphQL API (HTTP, SSE and WebSocket on /graphql) and the auth routes (/auth/*). */
export function createApiPart(runtime: Runtime, http: HttpServer): AppPart {
  const yoga = createGraphQLServer(runtime);
  // Before /graphql: the page's own files need no credentials.
  http.mount(GRAPHIQL_ASSETS_PATH, graphiqlAssets());
  http.mount("/graphql", graphqlHttpHandler(runtime, yoga));
  http.mount("/auth", authRoutes(runtime));
  let ws: ReturnType<typeof attachWebSocketServer> | undefined;
  return {
    name: "api",
    async start() {
      ws = attachWebSocketServer(runtime, http.server, yoga);
    },
    async stop() {
      await ws?.close();
    },
  };
}

/**
 * Creates the first admin when there is no user. Started before the HTTP part listens: a login
 * the moment /health first answers must find the admin already there.
 */
export function createFirstAdminPart(runtime: Runtime): AppPart {
  return {
    name: "first-admin",
    start: () =>
      ensureFirstAdmin(runtime.prisma, {
        username: runtime.config.ADMIN_USERNAME,
        password: runtime.config.ADMIN_PASSWORD,
        passwordFile: path.join(runtime.config.dataDir, "initial-admin-password"),
      }),
    stop: async () => undefined,
  };
}

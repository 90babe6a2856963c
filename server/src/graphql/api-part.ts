import path from "node:path";
import type { AppPart } from "../app-part.ts";
import { authRoutes } from "../http/auth-routes.ts";
import type { HttpServer } from "../http/http-server.ts";
import type { Runtime } from "../runtime.ts";
import { ensureFirstAdmin, LiveCredentials } from "../security/auth/index.ts";
import { graphiqlAssets, GRAPHIQL_ASSETS_PATH } from "./graphiql-page.ts";
import { graphqlHttpHandler } from "./http-handler.ts";
import { attachWebSocketServer } from "./ws-server.ts";
import { createGraphQLServer } from "./yoga.ts";

/**
 * Creates the first admin when no user exists. Runs before the HTTP server listens: hashing at
 * scrypt N=2^17 takes a moment, and a healthy /health must mean the admin can log in.
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

/** Mounts the GraphQL API (HTTP, SSE and WebSocket on /graphql) and the auth routes (/auth/*). */
export function createApiPart(runtime: Runtime, http: HttpServer): AppPart {
  const yoga = createGraphQLServer(runtime);
  // Open WebSocket and SSE connections, closed when their credentials end in any process.
  const live = new LiveCredentials(runtime.prisma, runtime.events);
  const auth = authRoutes(runtime);
  // Before /graphql: the page's own files need no credentials.
  http.mount(GRAPHIQL_ASSETS_PATH, graphiqlAssets());
  http.mount("/graphql", graphqlHttpHandler(runtime, yoga, live));
  http.mount("/auth", auth.handler);
  let ws: ReturnType<typeof attachWebSocketServer> | undefined;
  return {
    name: "api",
    async start() {
      ws = attachWebSocketServer(runtime, http.server, yoga, live);
    },
    async stop() {
      await ws?.close();
      live.close();
      await auth.close();
    },
  };
}

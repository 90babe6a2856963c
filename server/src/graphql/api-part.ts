import type { AppPart } from "../app.ts";
import type { HttpServer } from "../http/http-server.ts";
import type { Runtime } from "../runtime.ts";

/** Mounts the GraphQL API (HTTP + WebSocket) and auth routes on the HTTP server (roles `all` and `api`). */
export function createApiPart(_runtime: Runtime, _http: HttpServer): AppPart {
  return { name: "api", start: async () => {}, stop: async () => {} };
}

import http from "node:http";
import type { AddressInfo } from "node:net";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { health, readiness } from "./health.ts";

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

export interface HttpServer {
  server: http.Server;
  /** Mounts a handler for every path under `prefix` (first match wins, in mount order). */
  mount(prefix: string, handler: RouteHandler): void;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

export function createHttpServer(runtime: Runtime): HttpServer {
  const routes: Array<[string, RouteHandler]> = [];
  const server = http.createServer(async (req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    try {
      if (pathname === "/health") return sendJson(res, 200, health(runtime));
      if (pathname === "/ready") {
        const { status, body } = await readiness(runtime);
        return sendJson(res, status, body);
      }
      const route = routes.find(([prefix]) => pathname === prefix || pathname.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`));
      if (route) return await route[1](req, res);
      if (pathname === "/") {
        res.writeHead(302, { location: "/admin/" });
        return res.end();
      }
      sendJson(res, 404, { ok: false, error: `No route for ${pathname}` });
    } catch (err) {
      logger().error({ err, path: pathname }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: "Internal error (details are in the server log)" });
      else res.end();
    }
  });
  return {
    server,
    mount: (prefix, handler) => void routes.push([prefix, handler]),
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

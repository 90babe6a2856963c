import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Prisma } from "../db/prisma.ts";
import { logger } from "../logging/logger.ts";
import { AuthError, credentialsFromHttp, hasRole, UnauthenticatedError, type Principal } from "../security/auth/index.ts";
import { registry } from "../observability/metrics.ts";
import { refreshRunGauges } from "../observability/run-gauges.ts";

export const METRICS_SCOPE = "metrics";

/** An admin, or a token granted the `metrics` scope (what Prometheus' bearer_token_file carries). */
export function mayReadMetrics(principal: Principal): boolean {
  return hasRole(principal, "ADMIN") || (principal.scopes ?? []).includes(METRICS_SCOPE);
}

async function writeMetrics(prisma: Prisma, res: http.ServerResponse): Promise<void> {
  await refreshRunGauges(prisma).catch((err) => logger().warn({ err }, "could not read the run gauges for /metrics"));
  const body = await registry.metrics();
  res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
  res.end(body);
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...(status === 401 ? { "www-authenticate": 'Bearer realm="connecthub"' } : {}) });
  res.end(`${message}\n`);
}

/** GET /metrics with METRICS_ENABLED=false: says why there is nothing, to whoever asks. */
export function metricsOffRoute() {
  return async (_req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => refuse(res, 404, "Metrics are off in this process (METRICS_ENABLED=false).");
}

/** GET /metrics on the main HTTP port: needs credentials (see mayReadMetrics). */
export function metricsRoute(prisma: Prisma) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    let principal: Principal | null = null;
    try {
      principal = (await credentialsFromHttp(prisma, req.headers, { requireCsrf: false }))?.principal ?? null;
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return refuse(res, error.status, error.message);
    }
    if (!principal) return refuse(res, 401, new UnauthenticatedError().message);
    if (!mayReadMetrics(principal)) return refuse(res, 403, `/metrics needs an ADMIN or a token with the "${METRICS_SCOPE}" scope (npm run cli -- token create --role viewer --scope metrics --name prometheus).`);
    await writeMetrics(prisma, res);
  };
}

/**
 * METRICS_PORT: /metrics without credentials on 127.0.0.1 only (a local Prometheus agent or
 * sidecar). Worker-only processes have no other HTTP listener, so this is theirs.
 */
export async function startMetricsListener(prisma: Prisma, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname !== "/metrics") return refuse(res, 404, "Only /metrics is served on this port.");
    writeMetrics(prisma, res).catch((err) => {
      logger().error({ err }, "metrics scrape failed");
      if (!res.headersSent) refuse(res, 500, "Internal error (details are in the server log)");
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

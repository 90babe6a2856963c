import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

/**
 * Which browser origins may use this server's credentials. The admin is served by this server,
 * so same-origin is all it needs; other origins only when listed in CORS_ORIGINS. Forwarded
 * headers (X-Forwarded-Host) count only behind a trusted proxy: a client can forge them.
 */
export interface OriginPolicy {
  trustProxy: boolean;
  /** Exact origins (`https://ops.example.com`) allowed besides this server's own. */
  corsOrigins: readonly string[];
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The host the client addressed: `Host`, or the proxy's `X-Forwarded-Host` when trusted. */
export function requestHost(req: IncomingMessage, trustProxy: boolean): string | undefined {
  const forwarded = trustProxy ? header(req.headers, "x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  return forwarded || header(req.headers, "host");
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** Is this Origin (a header value) this server itself or one of CORS_ORIGINS? */
export function isAllowedOrigin(origin: string, req: IncomingMessage, policy: OriginPolicy): boolean {
  if (policy.corsOrigins.includes(origin)) return true;
  const host = requestHost(req, policy.trustProxy);
  return !!host && hostOf(origin) === host;
}

/** Is the Origin one of CORS_ORIGINS (the only origins that get credentialed CORS headers)? */
export function isCorsOrigin(origin: string | null, policy: OriginPolicy): origin is string {
  return !!origin && policy.corsOrigins.includes(origin);
}

/**
 * Did the browser say this request comes from another site (`Sec-Fetch-Site: cross-site`, or
 * same-site but another origin)? Absent for non-browser clients, which is not cross-site.
 */
export function isCrossSiteRequest(headers: IncomingHttpHeaders): boolean {
  const site = header(headers, "sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}

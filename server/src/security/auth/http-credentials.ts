import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { timingSafeEqual } from "node:crypto";
import type { Prisma } from "../../db/prisma.ts";
import { apiTokenPrincipal, authenticateApiToken } from "./api-tokens.ts";
import { CsrfError, OriginMismatchError, UnauthenticatedError } from "./auth-errors.ts";
import { isAllowedOrigin, type OriginPolicy } from "./origin-policy.ts";
import type { Principal } from "./principal.ts";
import { findSession, findSessionById, SESSION_COOKIE, type ActiveSession } from "./sessions.ts";

export const CSRF_HEADER = "x-csrf-token";

export interface Credentials {
  principal: Principal;
  /** Present when the caller authenticated with the session cookie. */
  session: ActiveSession | null;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function parseCookies(cookieHeader: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      out[name] = part.slice(eq + 1).trim();
    }
  }
  return out;
}

export function sessionCookieValue(headers: IncomingHttpHeaders): string | undefined {
  return parseCookies(header(headers, "cookie"))[SESSION_COOKIE] || undefined;
}

function bearer(headers: IncomingHttpHeaders): string | null | undefined {
  const auth = header(headers, "authorization");
  if (auth === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  return match ? match[1]! : null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Credentials of an HTTP request: a Bearer token wins (a browser never adds one by itself, so it
 * needs no CSRF check); otherwise the session cookie, which must come with its CSRF header.
 * Returns null when the request carries no credentials; throws when they are wrong.
 */
export async function credentialsFromHttp(prisma: Prisma, headers: IncomingHttpHeaders, options: { requireCsrf: boolean }): Promise<Credentials | null> {
  const token = bearer(headers);
  if (token !== undefined) {
    const principal = token ? await authenticateApiToken(prisma, token) : null;
    if (!principal) throw new UnauthenticatedError("The Bearer token is unknown or revoked; create one with `npm run cli -- token create`.");
    return { principal, session: null };
  }
  const cookie = sessionCookieValue(headers);
  if (!cookie) return null;
  const session = await findSession(prisma, cookie);
  if (!session) throw new UnauthenticatedError("The session has expired or was ended; log in again with POST /auth/login.");
  if (options.requireCsrf) {
    const sent = header(headers, CSRF_HEADER);
    if (!sent || !sameSecret(sent, session.csrfToken)) throw new CsrfError();
  }
  return { principal: session.principal, session };
}

/**
 * A WebSocket upgrade authenticated by cookie: browsers send cookies on cross-site WebSocket
 * handshakes too (and no CSRF header exists there), so the Origin must be this server itself or
 * one of CORS_ORIGINS. A cookie without an Origin is refused: every browser sends one, so only a
 * non-browser client omits it, and such a client should use a Bearer token.
 */
export async function credentialsFromUpgrade(prisma: Prisma, req: IncomingMessage, policy: OriginPolicy): Promise<Credentials | null> {
  const cookie = sessionCookieValue(req.headers);
  if (!cookie) return null;
  const origin = header(req.headers, "origin");
  if (!origin || !isAllowedOrigin(origin, req, policy)) throw new OriginMismatchError();
  const session = await findSession(prisma, cookie);
  return session ? { principal: session.principal, session } : null;
}

export async function credentialsFromConnectionParams(prisma: Prisma, params: Record<string, unknown> | undefined): Promise<Credentials | null> {
  const auth = params?.authorization ?? params?.Authorization;
  if (typeof auth !== "string") return null;
  return credentialsFromHttp(prisma, { authorization: auth }, { requireCsrf: false });
}

/**
 * The same credentials as they stand now in the database: null once the session ended (logout,
 * expiry, password change, user disabled or deleted) or the token was revoked; the current role
 * otherwise. A long-lived socket checks this before every operation it runs.
 */
export async function currentCredentials(prisma: Prisma, credentials: Credentials): Promise<Credentials | null> {
  if (credentials.session) {
    const session = await findSessionById(prisma, credentials.session.id);
    return session ? { principal: session.principal, session } : null;
  }
  const principal = await apiTokenPrincipal(prisma, credentials.principal.id);
  return principal ? { principal, session: null } : null;
}

export function isSecureRequest(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!trustProxy) return false;
  return header(req.headers, "x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? header(req.headers, "x-forwarded-for")?.split(",")[0]?.trim() : undefined;
  return forwarded || req.socket.remoteAddress || "unknown";
}

export function sessionSetCookie(value: string, expiresAt: Date, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAge}`, `Expires=${expiresAt.toUTCString()}`, ...(secure ? ["Secure"] : [])].join("; ");
}

export function sessionClearCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", "Expires=Thu, 01 Jan 1970 00:00:00 GMT", ...(secure ? ["Secure"] : [])].join("; ");
}

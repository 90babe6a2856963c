import type { Runtime } from "../runtime.ts";
import { logger } from "../logging/logger.ts";
import {
  AuthError,
  clientIp,
  createSession,
  credentialsFromHttp,
  deleteSession,
  isSecureRequest,
  LoginLimits,
  sessionClearCookie,
  sessionCookieValue,
  sessionSetCookie,
  verifyLogin,
} from "../security/auth/index.ts";
import { sendJson, type RouteHandler } from "./http-server.ts";
import { BodyError, readJsonBody } from "./read-json-body.ts";
import { recordAudit, type AuditActor } from "../audit/index.ts";

const BAD_CREDENTIALS = "Wrong username or password.";

const loginActor = (name: string, address: string, userAgent: string | undefined): AuditActor => ({ kind: "USER", name, address, userAgent: userAgent ?? null });

/**
 * The admin's login API (its contract is fixed):
 *   POST /auth/login {username, password} → 200 {user, csrfToken} + cookie | 401 {error} | 429 {error}
 *   POST /auth/logout → 200 {ok}
 *   GET  /auth/session → 200 {user, csrfToken} | 401 {error}
 */
export function authRoutes(runtime: Runtime): { handler: RouteHandler; close(): Promise<void> } {
  const { prisma, config } = runtime;
  const limits = new LoginLimits(runtime.databaseUrl, {
    perUsername: config.LOGIN_MAX_FAILURES,
    perAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
    windowSeconds: config.LOGIN_LOCKOUT_SECONDS,
  });
  const handler: RouteHandler = async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const secure = isSecureRequest(req, config.TRUST_PROXY);
    try {
      if (path === "/auth/login" && req.method === "POST") {
        const body = await readJsonBody(req);
        const username = typeof body.username === "string" ? body.username.trim() : "";
        const password = typeof body.password === "string" ? body.password : "";
        if (!username || !password) return sendJson(res, 400, { error: "Send a JSON body with username and password." });
        const ip = clientIp(req, config.TRUST_PROXY);
        // Counted before the password is checked: once the limit is hit no hash is computed.
        const attempt = await limits.attempt(username, ip);
        // Each login's audit row is stored before the answer, as for every other audited action
        // (recordAudit never throws; concurrent rows share one INSERT).
        if ("retryAfterSeconds" in attempt) {
          const wait = attempt.retryAfterSeconds;
          await recordAudit(prisma, { actor: loginActor(username, ip, req.headers["user-agent"]), action: "auth.login", outcome: "FAILURE", detail: { reason: "rate_limited" } });
          res.setHeader("retry-after", String(wait));
          return sendJson(res, 429, { error: `Too many failed logins; try again in ${wait} seconds.` });
        }
        const user = await verifyLogin(prisma, username, password);
        if (!user) {
          logger().warn({ username, ip }, "failed login");
          await recordAudit(prisma, { actor: loginActor(username, ip, req.headers["user-agent"]), action: "auth.login", outcome: "FAILURE", detail: { reason: "bad_credentials" } });
          return sendJson(res, 401, { error: BAD_CREDENTIALS });
        }
        await attempt.succeeded();
        await recordAudit(prisma, { actor: loginActor(user.username, ip, req.headers["user-agent"]), action: "auth.login", target: { type: "User", id: user.username }, outcome: "SUCCESS" });
        const session = await createSession(prisma, user.id, config.SESSION_TTL_HOURS);
        res.setHeader("set-cookie", sessionSetCookie(session.cookieValue, session.expiresAt, secure));
        return sendJson(res, 200, { user: { username: user.username, role: user.role }, csrfToken: session.csrfToken });
      }
      if (path === "/auth/logout" && req.method === "POST") {
        const cookie = sessionCookieValue(req.headers);
        if (cookie) await deleteSession(prisma, cookie, runtime.events);
        res.setHeader("set-cookie", sessionClearCookie(secure));
        return sendJson(res, 200, { ok: true });
      }
      if (path === "/auth/session" && req.method === "GET") {
        const credentials = sessionCookieValue(req.headers) ? await credentialsFromHttp(prisma, { cookie: req.headers.cookie }, { requireCsrf: false }) : null;
        if (!credentials?.session) return sendJson(res, 401, { error: "Not logged in." });
        const { principal, session } = credentials;
        return sendJson(res, 200, { user: { username: principal.name, role: principal.role }, csrfToken: session.csrfToken });
      }
      res.setHeader("allow", path === "/auth/session" ? "GET" : "POST");
      return sendJson(res, path.match(/^\/auth\/(login|logout|session)$/) ? 405 : 404, { error: `No route for ${req.method} ${path}` });
    } catch (error) {
      if (error instanceof BodyError) return sendJson(res, error.status, { error: error.message });
      if (error instanceof AuthError) return sendJson(res, error.status, { error: error.message });
      throw error;
    }
  };
  return { handler, close: () => limits.close() };
}

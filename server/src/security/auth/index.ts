export { createApiToken, listApiTokens, revokeApiToken, authenticateApiToken } from "./api-tokens.ts";
export { AuthError, CsrfError, OriginMismatchError, UnauthenticatedError } from "./auth-errors.ts";
export * from "./http-credentials.ts";
export { LoginRateLimiter } from "./login-rate-limit.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export { hasRole, parseRole, ROLES, type Principal } from "./principal.ts";
export { createSession, deleteSession, findSession, SESSION_COOKIE, type ActiveSession } from "./sessions.ts";
export { createUser, ensureFirstAdmin, setPassword, verifyLogin } from "./users.ts";

export { createApiToken, listApiTokens, revokeApiToken, revokeApiTokenById, authenticateApiToken } from "./api-tokens.ts";
export {
  ApiTokenNotFoundError,
  AuthError,
  CsrfError,
  LastAdminError,
  OriginMismatchError,
  UnauthenticatedError,
  UserExistsError,
  UserNotFoundError,
  WeakPasswordError,
  WrongPasswordError,
} from "./auth-errors.ts";
export * from "./http-credentials.ts";
export { LoginRateLimiter } from "./login-rate-limit.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export { hasRole, parseRole, ROLES, type Principal } from "./principal.ts";
export { createSession, deleteSession, findSession, SESSION_COOKIE, type ActiveSession } from "./sessions.ts";
export { changeOwnPassword, createUser, ensureFirstAdmin, listUsers, resetPassword, setPassword, updateUser, verifyLogin, type UserChange } from "./users.ts";

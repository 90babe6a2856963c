export { apiTokenPrincipal, createApiToken, listApiTokens, revokeApiToken, revokeApiTokenById, authenticateApiToken } from "./api-tokens.ts";
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
export { announceCredentialChange, type CredentialChange, type CredentialEvents } from "./credential-changes.ts";
export * from "./http-credentials.ts";
export { CLOSE_CREDENTIALS_ENDED, CLOSE_ROLE_CHANGED, LiveCredentials, type EndConnection } from "./live-credentials.ts";
export { isAllowedOrigin, isCorsOrigin, isCrossSiteRequest, requestHost, type OriginPolicy } from "./origin-policy.ts";
export { LoginLimits, type LoginAttempt, type LoginLimitOptions } from "./login-limits.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export { hasRole, parseRole, ROLES, type Principal } from "./principal.ts";
export { createSession, deleteSession, findSession, findSessionById, SESSION_COOKIE, type ActiveSession } from "./sessions.ts";
export { deleteUser, setUserDisabled, setUserRole } from "./user-changes.ts";
export { changeOwnPassword, createUser, ensureFirstAdmin, listUsers, resetPassword, setPassword, updateUser, verifyLogin, type UserChange } from "./users.ts";

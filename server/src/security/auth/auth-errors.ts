/** Typed auth failures; messages say what to do and never echo a credential. */
export class AuthError extends Error {
  override readonly name: string = "AuthError";
  readonly code: string;
  readonly status: number;
  constructor(
    code: string,
    status: number,
    message: string,
  ) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

export class UnauthenticatedError extends AuthError {
  override readonly name = "UnauthenticatedError";
  constructor(message = "Authentication required: send `Authorization: Bearer <token>` or log in with POST /auth/login.") {
    super("UNAUTHENTICATED", 401, message);
  }
}

export class CsrfError extends AuthError {
  override readonly name = "CsrfError";
  constructor() {
    super("CSRF_TOKEN_INVALID", 403, "Requests authenticated by the session cookie must send the header `x-csrf-token` with the csrfToken returned by /auth/login or /auth/session.");
  }
}

export class OriginMismatchError extends AuthError {
  override readonly name = "OriginMismatchError";
  constructor() {
    super("ORIGIN_MISMATCH", 403, "The WebSocket's Origin is neither this server nor one of CORS_ORIGINS; cookie sessions only work from the admin served by this server (API clients: send a Bearer token in connectionParams).");
  }
}

export class UserExistsError extends Error {
  override readonly name = "UserExistsError";
  readonly code = "USER_EXISTS";
  constructor(username: string) {
    super(`User "${username}" already exists; use \`user passwd ${username}\` to change the password.`);
  }
}

export class UserNotFoundError extends Error {
  override readonly name = "UserNotFoundError";
  readonly code = "USER_NOT_FOUND";
  constructor(username: string) {
    super(`No user named "${username}"; \`user list\` shows the users.`);
  }
}

export class WeakPasswordError extends Error {
  override readonly name = "WeakPasswordError";
  readonly code = "PASSWORD_TOO_SHORT";
  constructor(min: number) {
    super(`Password must be at least ${min} characters long.`);
  }
}

export class ApiTokenNotFoundError extends Error {
  override readonly name = "ApiTokenNotFoundError";
  readonly code = "TOKEN_NOT_FOUND";
  constructor(ref: string) {
    super(`No active API token with id or name "${ref}"; \`token list\` shows them.`);
  }
}

export class WrongPasswordError extends Error {
  override readonly name = "WrongPasswordError";
  readonly code = "WRONG_PASSWORD";
  constructor() {
    super("The current password is not correct; nothing was changed.");
  }
}

export class LastAdminError extends Error {
  override readonly name = "LastAdminError";
  readonly code = "LAST_ADMIN";
  constructor(username: string) {
    super(`"${username}" is the last enabled admin: make another user an admin first.`);
  }
}

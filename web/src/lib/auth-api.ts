// The fixed auth HTTP contract: POST /auth/login, POST /auth/logout, GET /auth/session.

export type Role = "VIEWER" | "OPERATOR" | "ADMIN";

export interface SessionUser {
  username: string;
  role: Role;
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
}

/** Wrong username or password (HTTP 401); `serverMessage` is the server's `{error}` text. */
export class LoginRejectedError extends Error {
  override name = "LoginRejectedError";
  readonly code = "LOGIN_REJECTED";
  constructor(readonly serverMessage: string | null) {
    super(serverMessage ?? "Login rejected");
  }
}

/** Too many attempts (HTTP 429). */
export class LoginRateLimitedError extends Error {
  override name = "LoginRateLimitedError";
  readonly code = "LOGIN_RATE_LIMITED";
  constructor() {
    super("Too many login attempts");
  }
}

/** The auth endpoint answered something the contract does not describe, or could not be reached. */
export class AuthUnavailableError extends Error {
  override name = "AuthUnavailableError";
  readonly code = "AUTH_UNAVAILABLE";
  constructor(readonly status: number | null, cause?: unknown) {
    super(status === null ? "The server could not be reached" : `The server answered HTTP ${status}`, { cause });
  }
}

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { credentials: "same-origin", ...init });
  } catch (error) {
    throw new AuthUnavailableError(null, error);
  }
}

async function errorText(res: Response): Promise<string | null> {
  const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
  return typeof body?.error === "string" ? body.error : null;
}

/** The current session, or null when there is none (HTTP 401). */
export async function fetchSession(): Promise<Session | null> {
  const res = await send("/auth/session", { headers: { accept: "application/json" } });
  if (res.status === 401) return null;
  if (!res.ok) throw new AuthUnavailableError(res.status);
  return (await res.json()) as Session;
}

export async function login(username: string, password: string): Promise<Session> {
  const res = await send("/auth/login", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ username, password }) });
  if (res.status === 401) throw new LoginRejectedError(await errorText(res));
  if (res.status === 429) throw new LoginRateLimitedError();
  if (!res.ok) throw new AuthUnavailableError(res.status);
  return (await res.json()) as Session;
}

export async function logout(csrfToken: string | undefined): Promise<void> {
  await send("/auth/logout", { method: "POST", headers: { ...JSON_HEADERS, ...(csrfToken ? { "x-csrf-token": csrfToken } : {}) } });
}

import type { Role } from "../generated/prisma/enums.ts";
import type { Runtime } from "../runtime.ts";
import {
  ApiTokenNotFoundError,
  changeOwnPassword,
  createApiToken,
  createUser,
  LastAdminError,
  resetPassword,
  revokeApiTokenById,
  updateUser,
  UserExistsError,
  UserNotFoundError,
  WeakPasswordError,
  WrongPasswordError,
  type ActiveSession,
  type Principal,
  type UserChange,
} from "../security/auth/index.ts";
import { ActionRefusedError, NotFoundError, ValidationError, type FieldError } from "./errors.ts";

// Tokens and users through the API: input checks, then the auth module's functions (which own
// every write to users, sessions and tokens), with their typed errors turned into API errors.

const NAME_MAX = 100;
const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

function refuseIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw new ValidationError(errors);
}

/** `field` names the input that a weak or wrong password came in. */
function asApiError(error: unknown, ids: { userId?: number; tokenId?: number; passwordField?: string } = {}): never {
  if (error instanceof WeakPasswordError || error instanceof WrongPasswordError) {
    const field = error instanceof WrongPasswordError ? "currentPassword" : (ids.passwordField ?? "password");
    throw new ValidationError([{ field, message: error.message }]);
  }
  if (error instanceof UserExistsError) throw new ValidationError([{ field: "username", message: error.message }]);
  if (error instanceof UserNotFoundError) throw new NotFoundError("User", ids.userId ?? "?");
  if (error instanceof ApiTokenNotFoundError) throw new NotFoundError("ApiToken", ids.tokenId ?? "?");
  if (error instanceof LastAdminError) throw new ActionRefusedError(error.code, error.message);
  throw error;
}

export interface CreateApiTokenInput {
  name: string;
  role: Role;
  expiresAt?: Date | null;
}

export async function createToken(runtime: Runtime, input: CreateApiTokenInput, now = new Date()) {
  const name = input.name.trim();
  refuseIfAny([
    ...(name ? [] : [{ field: "name", code: "REQUIRED", message: "give the token a name that says who uses it" }]),
    ...(name.length > NAME_MAX ? [{ field: "name", code: "TOO_LONG", params: { max: NAME_MAX }, message: `at most ${NAME_MAX} characters` }] : []),
    ...(input.expiresAt && input.expiresAt.getTime() <= now.getTime() ? [{ field: "expiresAt", code: "NOT_IN_FUTURE", message: "must be in the future" }] : []),
  ]);
  const { token, record } = await createApiToken(runtime.prisma, name, input.role, { expiresAt: input.expiresAt ?? null });
  return { token, apiToken: record };
}

/** IDs are numbers in the database; anything else names nothing. */
function numericId(what: "ApiToken" | "User", id: string | number): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new NotFoundError(what, id);
  return n;
}

export function revokeToken(runtime: Runtime, ref: string | number) {
  const id = numericId("ApiToken", ref);
  return revokeApiTokenById(runtime.prisma, id, runtime.events).catch((e) => asApiError(e, { tokenId: id }));
}

export interface CreateUserInput {
  username: string;
  password: string;
  role: Role;
}

export function addUser(runtime: Runtime, input: CreateUserInput) {
  refuseIfAny(USERNAME.test(input.username) ? [] : [{ field: "username", code: "USERNAME_INVALID", message: "1–64 letters, digits or . _ @ -" }]);
  return createUser(runtime.prisma, input.username, input.password, input.role).catch((e) => asApiError(e));
}

export function changeUser(runtime: Runtime, ref: string | number, change: UserChange) {
  const id = numericId("User", ref);
  return updateUser(runtime.prisma, id, change, runtime.events).catch((e) => asApiError(e, { userId: id }));
}

export function setUserPassword(runtime: Runtime, ref: string | number, password: string) {
  const id = numericId("User", ref);
  return resetPassword(runtime.prisma, id, password, runtime.events).catch((e) => asApiError(e, { userId: id }));
}

/** Only people have passwords: an API token cannot change one. Other sessions of the user end. */
export async function changeMyPassword(runtime: Runtime, principal: Principal, session: ActiveSession | null, current: string, next: string) {
  if (principal.kind !== "USER") {
    throw new ActionRefusedError("NOT_A_USER", "API tokens have no password; log in as a user to change yours.");
  }
  await changeOwnPassword(runtime.prisma, principal.id, current, next, session?.id, runtime.events).catch((e) => asApiError(e, { userId: principal.id, passwordField: "newPassword" }));
  return true;
}

import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Role } from "../../generated/prisma/enums.ts";
import type { Prisma } from "../../db/prisma.ts";
import { logger } from "../../logging/logger.ts";
import { announceCredentialChange, type CredentialEvents } from "./credential-changes.ts";
import { LastAdminError, UserExistsError, UserNotFoundError, WeakPasswordError, WrongPasswordError } from "./auth-errors.ts";
import { burnPasswordCheck, hashPassword, MIN_PASSWORD_LENGTH, needsRehash, verifyPassword } from "./password.ts";

function checkStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new WeakPasswordError(MIN_PASSWORD_LENGTH);
}

export async function createUser(prisma: Prisma, username: string, password: string, role: Role) {
  checkStrength(password);
  if (await prisma.user.findUnique({ where: { username } })) throw new UserExistsError(username);
  return prisma.user.create({ data: { username, role, passwordHash: await hashPassword(password) }, omit: PUBLIC_USER });
}

const PUBLIC_USER = { passwordHash: true } as const;

export function listUsers(prisma: Prisma) {
  return prisma.user.findMany({ omit: PUBLIC_USER, orderBy: { id: "asc" } });
}

/**
 * Every password change passes here, and ends the user's sessions (whoever had the old password
 * is logged out) except `keepSessionId`, the session of a user changing their own.
 */
async function replacePassword(prisma: Prisma, userId: number, password: string, events: CredentialEvents, keepSessionId?: string): Promise<void> {
  checkStrength(password);
  const passwordHash = await hashPassword(password);
  await prisma.$transaction([
    prisma.user.update({ where: { id: userId }, data: { passwordHash } }),
    prisma.session.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } }),
  ]);
  // Open sockets of the ended sessions close in every API process (the kept one stays valid).
  await announceCredentialChange(events, "user", [userId]);
}

/** The CLI's `user passwd`. */
export async function setPassword(prisma: Prisma, username: string, password: string, events: CredentialEvents = null): Promise<void> {
  const user = await prisma.user.findUnique({ where: { username } });
  if (!user) throw new UserNotFoundError(username);
  await replacePassword(prisma, user.id, password, events);
}

/** An admin sets another user's password (the user's sessions end). */
export async function resetPassword(prisma: Prisma, userId: number, password: string, events: CredentialEvents = null) {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new UserNotFoundError(`#${userId}`);
  await replacePassword(prisma, userId, password, events);
  return prisma.user.findUniqueOrThrow({ where: { id: userId }, omit: PUBLIC_USER });
}

/** A user changes their own password: the current one is required; their other sessions end. */
export async function changeOwnPassword(
  prisma: Prisma,
  userId: number,
  current: string,
  next: string,
  keepSessionId?: string,
  events: CredentialEvents = null,
): Promise<void> {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user || user.disabledAt) throw new UserNotFoundError(`#${userId}`);
  if (!(await verifyPassword(current, user.passwordHash))) throw new WrongPasswordError();
  await replacePassword(prisma, userId, next, events, keepSessionId);
}

export interface UserChange {
  role?: Role | null;
  disabled?: boolean | null;
}

/**
 * Role changes and disabling pass here. A role takes effect on the user's next request (sessions
 * read the role from the user); disabling ends their sessions. The last enabled admin can be
 * neither demoted nor disabled — nobody could manage users any more.
 */
export async function updateUser(prisma: Prisma, userId: number, change: UserChange, events: CredentialEvents = null) {
  const updated = await prisma.$transaction(async (tx) => {
    // Two admins demoting each other at once must not both succeed: admins are changed one at a time.
    await tx.$queryRaw`SELECT id FROM users WHERE role = 'ADMIN' FOR UPDATE`;
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new UserNotFoundError(`#${userId}`);
    const role = change.role ?? user.role;
    const disabledAt = change.disabled == null ? user.disabledAt : change.disabled ? (user.disabledAt ?? new Date()) : null;
    const losesAdmin = user.role === "ADMIN" && !user.disabledAt && (role !== "ADMIN" || disabledAt);
    if (losesAdmin && (await tx.user.count({ where: { role: "ADMIN", disabledAt: null, id: { not: userId } } })) === 0) {
      throw new LastAdminError(user.username);
    }
    const updated = await tx.user.update({ where: { id: userId }, data: { role, disabledAt }, omit: PUBLIC_USER });
    if (disabledAt && !user.disabledAt) await tx.session.deleteMany({ where: { userId } });
    return updated;
  });
  // Open sockets of the user are re-checked in every API process: closed when disabled, when the
  // role changed (4403), re-authorized otherwise.
  await announceCredentialChange(events, "user", [userId]);
  return updated;
}

/** The user when the credentials match an enabled user, else null — the same for every failure. */
export async function verifyLogin(prisma: Prisma, username: string, password: string) {
  const user = await prisma.user.findUnique({ where: { username } });
  if (!user || user.disabledAt) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(password, user.passwordHash))) return null;
  if (needsRehash(user.passwordHash)) {
    // Only while the old hash is still the stored one: a password changed meanwhile wins.
    await prisma.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: await hashPassword(password) } });
  }
  return user;
}

export interface FirstAdminOptions {
  username: string;
  /** ADMIN_PASSWORD; when unset a random one is generated and written to `passwordFile`. */
  password: string | undefined;
  passwordFile: string;
}

/**
 * First start: with no user at all, create the first admin — from ADMIN_PASSWORD when set, else
 * with a random password written to a 0600 file under DATA_DIR (never to the log), so a fresh
 * `npm start` can be logged into without stopping it to run the CLI.
 */
export async function ensureFirstAdmin(prisma: Prisma, options: FirstAdminOptions): Promise<void> {
  if ((await prisma.user.count()) > 0) return;
  const generated = !options.password;
  const password = options.password ?? randomBytes(18).toString("base64url");
  try {
    await createUser(prisma, options.username, password, "ADMIN");
  } catch (error) {
    // Another API process starting at the same moment may have created it first.
    if ((error as { code?: string }).code === "P2002" || error instanceof UserExistsError) return;
    throw error;
  }
  if (!generated) {
    logger().info({ username: options.username }, "created the first admin user from ADMIN_PASSWORD");
    return;
  }
  await mkdir(path.dirname(options.passwordFile), { recursive: true });
  await writeFile(options.passwordFile, `${password}\n`, { mode: 0o600 });
  logger().warn(
    { username: options.username, passwordFile: options.passwordFile },
    `created the first admin user "${options.username}" with a generated password; read it from ${options.passwordFile}, ` +
      "log in, then change it (`npm run cli -- user passwd <name>`) and delete the file",
  );
}

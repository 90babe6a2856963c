import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Role } from "../../generated/prisma/enums.ts";
import type { Prisma } from "../../db/prisma.ts";
import { logger } from "../../logging/logger.ts";
import { announceCredentialChange, type CredentialEvents } from "./credential-changes.ts";
import { UserExistsError, UserNotFoundError, WeakPasswordError } from "./auth-errors.ts";
import { burnPasswordCheck, hashPassword, MIN_PASSWORD_LENGTH, needsRehash, verifyPassword } from "./password.ts";

function checkStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new WeakPasswordError(MIN_PASSWORD_LENGTH);
}

export async function createUser(prisma: Prisma, username: string, password: string, role: Role) {
  checkStrength(password);
  if (await prisma.user.findUnique({ where: { username } })) throw new UserExistsError(username);
  return prisma.user.create({ data: { username, role, passwordHash: await hashPassword(password) }, omit: { passwordHash: true } });
}

/** Changing a password also ends the user's sessions: whoever had the old one is logged out. */
export async function setPassword(prisma: Prisma, username: string, password: string, events: CredentialEvents = null): Promise<void> {
  checkStrength(password);
  const user = await prisma.user.findUnique({ where: { username } });
  if (!user) throw new UserNotFoundError(username);
  await prisma.$transaction([
    prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } }),
    prisma.session.deleteMany({ where: { userId: user.id } }),
  ]);
  await announceCredentialChange(events, "user", [user.id]);
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

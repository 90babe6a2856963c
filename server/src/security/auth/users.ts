import type { Role } from "../../generated/prisma/enums.ts";
import type { Prisma } from "../../db/prisma.ts";
import { logger } from "../../logging/logger.ts";
import { UserExistsError, UserNotFoundError, WeakPasswordError } from "./auth-errors.ts";
import { burnPasswordCheck, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password.ts";

function checkStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new WeakPasswordError(MIN_PASSWORD_LENGTH);
}

export async function createUser(prisma: Prisma, username: string, password: string, role: Role) {
  checkStrength(password);
  if (await prisma.user.findUnique({ where: { username } })) throw new UserExistsError(username);
  return prisma.user.create({ data: { username, role, passwordHash: await hashPassword(password) }, omit: { passwordHash: true } });
}

/** Changing a password also ends the user's sessions: whoever had the old one is logged out. */
export async function setPassword(prisma: Prisma, username: string, password: string): Promise<void> {
  checkStrength(password);
  const user = await prisma.user.findUnique({ where: { username } });
  if (!user) throw new UserNotFoundError(username);
  await prisma.$transaction([
    prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } }),
    prisma.session.deleteMany({ where: { userId: user.id } }),
  ]);
}

/** The user when the credentials match an enabled user, else null — the same for every failure. */
export async function verifyLogin(prisma: Prisma, username: string, password: string) {
  const user = await prisma.user.findUnique({ where: { username } });
  if (!user || user.disabledAt) {
    await burnPasswordCheck(password);
    return null;
  }
  return (await verifyPassword(password, user.passwordHash)) ? user : null;
}

/** First start: with no user at all, ADMIN_PASSWORD (if set) creates the first admin. */
export async function ensureFirstAdmin(prisma: Prisma, username: string, password: string | undefined): Promise<void> {
  if ((await prisma.user.count()) > 0) return;
  if (!password) {
    logger().warn("no user exists: set ADMIN_PASSWORD, or run `npm run cli -- user create admin --role admin`, to log in to the admin");
    return;
  }
  try {
    await createUser(prisma, username, password, "ADMIN");
    logger().info({ username }, "created the first admin user from ADMIN_PASSWORD");
  } catch (error) {
    // Another API process starting at the same moment may have created it first.
    if ((error as { code?: string }).code === "P2002" || error instanceof UserExistsError) return;
    throw error;
  }
}

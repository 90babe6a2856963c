import type { Prisma } from "../../db/prisma.ts";
import { announceCredentialChange, type CredentialEvents } from "./credential-changes.ts";
import type { Principal } from "./principal.ts";
import { randomToken, sha256Hex } from "./secret-token.ts";

export const SESSION_COOKIE = "connecthub_session";
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface ActiveSession {
  /** The stored id (SHA-256 of the cookie), to look the session up again for a long-lived socket. */
  id: string;
  principal: Principal;
  csrfToken: string;
  expiresAt: Date;
}

/** Creates a session; the cookie value is returned once and only its hash is stored. */
export async function createSession(prisma: Prisma, userId: number, ttlHours: number) {
  const cookieValue = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  await prisma.session.create({ data: { id: sha256Hex(cookieValue), userId, csrfToken, expiresAt } });
  // Expired sessions of this user are dead weight; sweep them when a new one starts.
  await prisma.session.deleteMany({ where: { userId, expiresAt: { lt: new Date() } } });
  return { cookieValue, csrfToken, expiresAt };
}

export function findSession(prisma: Prisma, cookieValue: string): Promise<ActiveSession | null> {
  return findSessionById(prisma, sha256Hex(cookieValue));
}

/** The session as it is now: null once logged out, expired, or its user disabled or deleted. */
export async function findSessionById(prisma: Prisma, id: string): Promise<ActiveSession | null> {
  const session = await prisma.session.findUnique({ where: { id }, include: { user: true } });
  if (!session) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now || session.user.disabledAt) return null;
  if (now - session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await prisma.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
  }
  const { user } = session;
  return {
    id: session.id,
    principal: { kind: "USER", id: user.id, name: user.username, role: user.role },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

/** Ends a session (logout) and tells every API process, so sockets opened with it close too. */
export async function deleteSession(prisma: Prisma, cookieValue: string, events: CredentialEvents | null = null): Promise<void> {
  const id = sha256Hex(cookieValue);
  const session = await prisma.session.findUnique({ where: { id }, select: { userId: true } });
  const { count } = await prisma.session.deleteMany({ where: { id } });
  if (session && count) await announceCredentialChange(events, "user", [session.userId]);
}

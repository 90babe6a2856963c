import type { Role } from "../../generated/prisma/enums.ts";
import type { Prisma } from "../../db/prisma.ts";
import { UserNotFoundError } from "./auth-errors.ts";
import { announceCredentialChange, type CredentialEvents } from "./credential-changes.ts";
import { updateUser } from "./users.ts";

/*
 * Changes to a user that alter what their open sessions may do. Each announces the change, so
 * WebSocket/SSE connections of that user are re-checked (closed or re-authorized) at once in
 * every API process. Sessions of a disabled or deleted user stop working at once (findSession
 * refuses them); a role change applies to the next request and closes open sockets.
 */

async function userId(prisma: Prisma, username: string): Promise<number> {
  const user = await prisma.user.findUnique({ where: { username }, select: { id: true } });
  if (!user) throw new UserNotFoundError(username);
  return user.id;
}

/** By username, for the CLI; the rules (last admin, sessions, announcement) are updateUser's. */
export async function setUserRole(prisma: Prisma, username: string, role: Role, events: CredentialEvents = null): Promise<void> {
  await updateUser(prisma, await userId(prisma, username), { role }, events);
}

export async function setUserDisabled(prisma: Prisma, username: string, disabled: boolean, events: CredentialEvents = null): Promise<void> {
  await updateUser(prisma, await userId(prisma, username), { disabled }, events);
}

/** Deletes the user and (by cascade) their sessions. */
export async function deleteUser(prisma: Prisma, username: string, events: CredentialEvents = null): Promise<void> {
  const id = await userId(prisma, username);
  await prisma.user.delete({ where: { id } });
  await announceCredentialChange(events, "user", [id]);
}

import type { Role } from "../../generated/prisma/enums.ts";
import type { Prisma } from "../../db/prisma.ts";
import type { ApiTokenWhereInput } from "../../generated/prisma/models.ts";
import { ApiTokenNotFoundError } from "./auth-errors.ts";
import { announceCredentialChange, type CredentialEvents } from "./credential-changes.ts";
import type { Principal } from "./principal.ts";
import { randomToken, sha256Hex } from "./secret-token.ts";

const TOKEN_PREFIX = "chub_";
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;
/** Writing lastUsedAt on every request would turn every read into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The token is in the result once; only its hash is stored. `expiresAt` null: valid until revoked.
 * `scopes`: extra rights beyond the role (`metrics`: may scrape /metrics).
 */
export async function createApiToken(
  prisma: Prisma,
  name: string,
  role: Role,
  { expiresAt = null, scopes = [] }: { expiresAt?: Date | null; scopes?: readonly string[] } = {},
) {
  const token = randomToken(TOKEN_PREFIX);
  const record = await prisma.apiToken.create({
    data: { name, role, expiresAt, scopes: [...scopes], tokenHash: sha256Hex(token), prefix: token.slice(0, SHOWN_PREFIX_LENGTH) },
    omit: { tokenHash: true },
  });
  return { token, record };
}

export function listApiTokens(prisma: Prisma, includeRevoked = false) {
  return prisma.apiToken.findMany({
    where: includeRevoked ? {} : { revokedAt: null },
    omit: { tokenHash: true },
    orderBy: { id: "asc" },
  });
}

/**
 * Every revocation passes here: the one place a token stops working before its expiry. Pass the
 * event bus so WebSocket/SSE connections open with the token close at once, in every API process
 * (without it they are refused at their next operation).
 */
async function revokeWhere(prisma: Prisma, where: ApiTokenWhereInput, events: CredentialEvents): Promise<number[]> {
  const now = new Date();
  const tokens = await prisma.apiToken.updateManyAndReturn({ where: { ...where, revokedAt: null }, data: { revokedAt: now }, select: { id: true } });
  const ids = tokens.map((t) => t.id);
  if (ids.length) await announceCredentialChange(events, "apiToken", ids);
  return ids;
}

/** Revokes by numeric id or by name (every active token with that name). Returns how many. */
export async function revokeApiToken(prisma: Prisma, ref: string, events: CredentialEvents = null): Promise<number> {
  const where = /^\d+$/.test(ref) ? { OR: [{ id: Number(ref) }, { name: ref }] } : { name: ref };
  const revoked = await revokeWhere(prisma, where, events);
  if (revoked.length === 0) throw new ApiTokenNotFoundError(ref);
  return revoked.length;
}

/** Revokes one token; revoking a revoked one again is refused (it names no active token). */
export async function revokeApiTokenById(prisma: Prisma, id: number, events: CredentialEvents = null) {
  const revoked = await revokeWhere(prisma, { id }, events);
  if (revoked.length === 0) throw new ApiTokenNotFoundError(String(id));
  return prisma.apiToken.findUniqueOrThrow({ where: { id }, omit: { tokenHash: true } });
}

/** The token's principal as it is now (null once revoked or deleted), for long-lived sockets. */
export async function apiTokenPrincipal(prisma: Prisma, id: number): Promise<Principal | null> {
  const record = await prisma.apiToken.findUnique({ where: { id }, omit: { tokenHash: true } });
  if (!record || record.revokedAt) return null;
  return { kind: "API_TOKEN", id: record.id, name: record.name, role: record.role };
}

export async function authenticateApiToken(prisma: Prisma, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const record = await prisma.apiToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  const now = Date.now();
  if (!record || record.revokedAt || (record.expiresAt && record.expiresAt.getTime() <= now)) return null;
  if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { kind: "API_TOKEN", id: record.id, name: record.name, role: record.role, scopes: record.scopes };
}

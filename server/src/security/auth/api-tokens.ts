import type { Role } from "../../generated/prisma/enums.ts";
import type { Prisma } from "../../db/prisma.ts";
import type { ApiTokenWhereInput } from "../../generated/prisma/models.ts";
import { ApiTokenNotFoundError } from "./auth-errors.ts";
import type { Principal } from "./principal.ts";
import { randomToken, sha256Hex } from "./secret-token.ts";

const TOKEN_PREFIX = "chub_";
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;
/** Writing lastUsedAt on every request would turn every read into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The token is in the result once; only its hash is stored. `expiresAt` null: valid until revoked. */
export async function createApiToken(prisma: Prisma, name: string, role: Role, expiresAt: Date | null = null) {
  const token = randomToken(TOKEN_PREFIX);
  const record = await prisma.apiToken.create({
    data: { name, role, expiresAt, tokenHash: sha256Hex(token), prefix: token.slice(0, SHOWN_PREFIX_LENGTH) },
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

/** Every revocation passes here: the one place a token stops working before its expiry. */
async function revokeWhere(prisma: Prisma, where: ApiTokenWhereInput): Promise<number[]> {
  const now = new Date();
  const tokens = await prisma.apiToken.updateManyAndReturn({ where: { ...where, revokedAt: null }, data: { revokedAt: now }, select: { id: true } });
  return tokens.map((t) => t.id);
}

/** Revokes by numeric id or by name (every active token with that name). Returns how many. */
export async function revokeApiToken(prisma: Prisma, ref: string): Promise<number> {
  const where = /^\d+$/.test(ref) ? { OR: [{ id: Number(ref) }, { name: ref }] } : { name: ref };
  const revoked = await revokeWhere(prisma, where);
  if (revoked.length === 0) throw new ApiTokenNotFoundError(ref);
  return revoked.length;
}

/** Revokes one token; revoking a revoked one again is refused (it names no active token). */
export async function revokeApiTokenById(prisma: Prisma, id: number) {
  const revoked = await revokeWhere(prisma, { id });
  if (revoked.length === 0) throw new ApiTokenNotFoundError(String(id));
  return prisma.apiToken.findUniqueOrThrow({ where: { id }, omit: { tokenHash: true } });
}

export async function authenticateApiToken(prisma: Prisma, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const record = await prisma.apiToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  const now = Date.now();
  if (!record || record.revokedAt || (record.expiresAt && record.expiresAt.getTime() <= now)) return null;
  if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { kind: "API_TOKEN", id: record.id, name: record.name, role: record.role };
}

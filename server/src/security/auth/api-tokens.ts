import type { Role } from "../../generated/prisma/enums.ts";
import type { Prisma } from "../../db/prisma.ts";
import { ApiTokenNotFoundError } from "./auth-errors.ts";
import type { Principal } from "./principal.ts";
import { randomToken, sha256Hex } from "./secret-token.ts";

const TOKEN_PREFIX = "chub_";
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;
/** Writing lastUsedAt on every request would turn every read into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function createApiToken(prisma: Prisma, name: string, role: Role, scopes: readonly string[] = []) {
  const token = randomToken(TOKEN_PREFIX);
  const record = await prisma.apiToken.create({
    data: { name, role, scopes: [...scopes], tokenHash: sha256Hex(token), prefix: token.slice(0, SHOWN_PREFIX_LENGTH) },
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

/** Revokes by numeric id or by name (every active token with that name). Returns how many. */
export async function revokeApiToken(prisma: Prisma, ref: string): Promise<number> {
  const where = /^\d+$/.test(ref) ? { OR: [{ id: Number(ref) }, { name: ref }] } : { name: ref };
  const { count } = await prisma.apiToken.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count === 0) throw new ApiTokenNotFoundError(ref);
  return count;
}

export async function authenticateApiToken(prisma: Prisma, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const record = await prisma.apiToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  if (!record || record.revokedAt) return null;
  const now = Date.now();
  if (!record.lastUsedAt || now - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { kind: "API_TOKEN", id: record.id, name: record.name, role: record.role, scopes: record.scopes };
}

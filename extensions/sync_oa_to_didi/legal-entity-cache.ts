import type { DidiClient } from "@connecthub/server/sdk";

/**
 * Company name → Didi legal entity id, shared by the runs of this process. Legal entities
 * change rarely while every row of every run needs one, so a lookup per distinct name (per
 * TTL) is enough. Misses are cached too, so a form full of an unknown company costs one call.
 */
const TTL_MS = 10 * 60_000;
const cache = new Map<string, { id: string | null; expiresAt: number }>();

export function clearLegalEntityCache(): void {
  cache.clear();
}

/** The id of the legal entity named exactly `name` (surrounding spaces ignored), or null. */
export async function resolveLegalEntityId(
  didi: DidiClient,
  scope: string,
  name: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const key = `${scope}|${name}`;
  const hit = cache.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.id;
  const page = await didi.getLegalEntities({ keyword: name, is_exact_name: 1, offset: 0, length: 100 }, signal);
  const match = (page?.records ?? []).find((r) => String(r.name).trim() === name);
  const id = match ? String(match.legal_entity_id) : null;
  cache.set(key, { id, expiresAt: Date.now() + TTL_MS });
  return id;
}

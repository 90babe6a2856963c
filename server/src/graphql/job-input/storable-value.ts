/** Deeper JSON is refused: no config needs it, and deep values cost stack in every later walk. */
export const MAX_JSON_DEPTH = 32;

/**
 * Why PostgreSQL could not store this value as given, or null when it can: a NUL character
 * (U+0000; neither `text` nor `jsonb` accepts it, error 22P05/22021) in any string or key, or JSON
 * nested deeper than MAX_JSON_DEPTH. Walks iteratively, so even a 100,000-deep value is measured
 * without recursion. Standalone on purpose: any input validator can call it.
 */
export function storableValueProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  return storableValueIssue(value, maxDepth)?.message ?? null;
}

/** The same, with a stable code (NUL_CHARACTER, TOO_DEEP) and its parameters. */
export function storableValueIssue(value: unknown, maxDepth = MAX_JSON_DEPTH): { code: string; params: Record<string, number>; message: string } | null {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (typeof item === "string") {
      if (item.includes("\u0000")) return { code: "NUL_CHARACTER", params: {}, message: "contains a NUL character (\\u0000), which cannot be stored; remove it" };
      continue;
    }
    if (item === null || typeof item !== "object") continue;
    if (depth > maxDepth) return { code: "TOO_DEEP", params: { max: maxDepth }, message: `is nested more than ${maxDepth} levels deep; flatten it` };
    if (Array.isArray(item)) {
      for (const child of item) stack.push([child, depth + 1]);
    } else {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes("\u0000")) return { code: "NUL_CHARACTER", params: {}, message: "has a key containing a NUL character (\\u0000), which cannot be stored; remove it" };
        stack.push([child, depth + 1]);
      }
    }
  }
  return null;
}

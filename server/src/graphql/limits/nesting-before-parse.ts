import { limitError } from "./limit-error.ts";

/**
 * The deepest bracket nesting ({ [ ( ) ] }) of a GraphQL document, outside strings and comments.
 * graphql-js parses recursively, so a 20,000-deep list literal overflows the stack before any
 * token or depth limit (which run after or during parsing) could refuse it; this linear scan runs
 * first. Hand-written because no library measures nesting without parsing.
 */
export function maxNesting(source: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source.charCodeAt(i);
    if (ch === 0x23 /* # */) {
      while (i < source.length && source.charCodeAt(i) !== 0x0a) i++;
    } else if (ch === 0x22 /* " */) {
      const block = source.startsWith('"""', i);
      i += block ? 3 : 1;
      while (i < source.length) {
        if (source.charCodeAt(i) === 0x5c /* \ */) i += 2;
        else if (block ? source.startsWith('"""', i) : source.charCodeAt(i) === 0x22 || source.charCodeAt(i) === 0x0a) break;
        else i++;
      }
      if (block) i += 2;
    } else if (ch === 0x7b || ch === 0x5b || ch === 0x28) {
      if (++depth > max) max = depth;
    } else if (ch === 0x7d || ch === 0x5d || ch === 0x29) {
      depth--;
    }
  }
  return max;
}

export function checkNestingBeforeParse(source: string, limit: number): void {
  const found = maxNesting(source);
  if (found > limit) throw limitError("QUERY_TOO_NESTED", `The document nests brackets ${found} levels deep; the limit is ${limit}. Pass deep values as variables.`);
}

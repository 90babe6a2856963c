import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from "graphql";

export const MAX_DEPTH = 12;
export const MAX_FIELDS = 500;

/**
 * Refuses operations nested deeper than MAX_DEPTH or selecting more than MAX_FIELDS fields
 * (fragments expanded, aliases counted): one request cannot ask the server for unbounded work.
 * Page sizes are bounded separately (connections accept at most 200 items per page).
 */
export function operationLimitsRule(context: ValidationContext): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  function measure(set: SelectionSetNode, depth: number, seen: Set<string>): { depth: number; fields: number } {
    let maxDepth = depth;
    let fields = 0;
    for (const sel of set.selections) {
      let inner: { depth: number; fields: number } | null = null;
      if (sel.kind === Kind.FIELD) {
        fields++;
        if (sel.selectionSet) inner = measure(sel.selectionSet, depth + 1, seen);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(sel.selectionSet, depth, seen);
      } else {
        const fragment = fragments.get(sel.name.value);
        if (fragment && !seen.has(sel.name.value)) inner = measure(fragment.selectionSet, depth, new Set([...seen, sel.name.value]));
      }
      if (inner) {
        maxDepth = Math.max(maxDepth, inner.depth);
        fields += inner.fields;
      }
      if (fields > MAX_FIELDS || maxDepth > MAX_DEPTH) break;
    }
    return { depth: maxDepth, fields };
  }

  return {
    OperationDefinition(node) {
      const { depth, fields } = measure(node.selectionSet, 1, new Set());
      if (depth > MAX_DEPTH) {
        context.reportError(new GraphQLError(`Operation is nested ${depth} levels deep; the limit is ${MAX_DEPTH}.`, { nodes: [node], extensions: { code: "QUERY_TOO_DEEP" } }));
      } else if (fields > MAX_FIELDS) {
        context.reportError(new GraphQLError(`Operation selects more than ${MAX_FIELDS} fields; split it into smaller operations.`, { nodes: [node], extensions: { code: "QUERY_TOO_COMPLEX" } }));
      }
    },
  };
}

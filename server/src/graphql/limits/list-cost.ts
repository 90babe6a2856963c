import { getNamedType, isListType, getNullableType, type DocumentNode, type GraphQLSchema } from "graphql";
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../builder.ts";

/** Plain lists without a size argument (a run's retries): assumed this long. */
const UNSIZED_LIST_LENGTH = 10;
/**
 * Scalars that can be large (a run log is up to RUN_LOG_MAX_BYTES): they cost like this many
 * nodes, so a request cannot ask for thousands of them.
 */
const HEAVY_FIELDS: Record<string, number> = { "JobLog.runLog": 50, "JobLog.traceback": 10, "JobLog.snapshotParams": 10, "JobLog.result": 10 };

function pageSize(args: Record<string, unknown>): number {
  const asked = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : DEFAULT_PAGE_SIZE;
  return Math.max(0, Math.min(asked, MAX_PAGE_SIZE));
}

/**
 * Each field costs 1 plus its children, times the number of items a list can hold: a connection
 * its `first`/`last` (default and maximum page size), `nextFireTimes` its `count`, another list
 * UNSIZED_LIST_LENGTH. Nesting multiplies: jobs(first: 200) → logs(first: 50) → job costs 10,000+.
 */
const listAwareEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const heavy = HEAVY_FIELDS[`${type.name}.${field.name}`];
  if (heavy) return heavy;
  // A connection's edges are already counted by the connection's page size.
  if (type.name.endsWith("Connection") && field.name === "edges") return 1 + childComplexity;
  if (args.first !== undefined || args.last !== undefined || getNamedType(field.type).name.endsWith("Connection")) {
    return 1 + pageSize(args) * childComplexity;
  }
  if (typeof args.count === "number") return 1 + Math.max(0, args.count) * Math.max(1, childComplexity);
  if (isListType(getNullableType(field.type))) return 1 + UNSIZED_LIST_LENGTH * Math.max(1, childComplexity);
  return 1 + childComplexity;
};

export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | undefined): number {
  return getComplexity({ schema, query: document, variables: variables ?? {}, operationName: operationName ?? undefined, estimators: [listAwareEstimator] });
}

import { initGraphQLTada } from "gql.tada";
import type { introspection } from "../graphql-env.d.ts";

/** Typed GraphQL documents: result and variable types come from server/schema.graphql (see graphql-env.d.ts). */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; JSON: unknown; ID: string };
}>();

export type { FragmentOf, ResultOf, VariablesOf } from "gql.tada";
export { readFragment } from "gql.tada";

import { GraphQLError } from "graphql";

/** Codes of the refusals for requests over a limit; each message names the limit and its value. */
export type LimitCode =
  | "QUERY_TOO_DEEP"
  | "QUERY_TOO_NESTED"
  | "QUERY_TOO_MANY_ALIASES"
  | "QUERY_TOO_MANY_TOKENS"
  | "QUERY_TOO_MANY_DIRECTIVES"
  | "QUERY_TOO_COSTLY"
  | "RESPONSE_TOO_LARGE";

export function limitError(code: LimitCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

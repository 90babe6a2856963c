import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import type { GraphQLError, ValidationContext } from "graphql";
import { isAsyncIterable, type Plugin } from "graphql-yoga";
import { limitError, type LimitCode } from "./limit-error.ts";
import { operationCost } from "./list-cost.ts";
import { checkNestingBeforeParse } from "./nesting-before-parse.ts";

export interface RequestLimits {
  /** GRAPHQL_MAX_COST: list-aware cost of one operation (see list-cost.ts). */
  maxCost: number;
  /** GRAPHQL_MAX_RESPONSE_BYTES: the JSON result of one query or mutation. */
  maxResponseBytes: number;
}

export const MAX_DEPTH = 12;
export const MAX_ALIASES = 30;
export const MAX_TOKENS = 5000;
export const MAX_DIRECTIVES = 50;
/** Bracket nesting of the document text, checked before parsing (see nesting-before-parse.ts). */
export const MAX_NESTING = 64;

/** graphql-armor's refusals carry no code; this gives each one ours and drops "Syntax Error:". */
function reject(code: LimitCode) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const refusal = limitError(code, error.message.replace(/^Syntax Error:\s*/, ""));
    if (context) context.reportError(refusal);
    else throw refusal;
  };
}

const armorOptions = (code: LimitCode) => ({ exposeLimits: true, propagateOnRejection: false, onReject: [reject(code)] });

/**
 * Bounds on the work one GraphQL request may cause, in the order they apply: bracket nesting of
 * the text (before parsing), token count (while parsing; graphql-armor), depth, aliases and
 * directives (validation; graphql-armor), list-aware cost with the request's variables (before
 * executing; graphql-query-complexity, since armor's cost limit ignores list sizes), and the size
 * of the result (after executing, before it is sent). HTTP and WebSocket share them: both run
 * through Yoga's envelop.
 */
export function requestLimitPlugins(limits: RequestLimits): Plugin[] {
  return [
    {
      onParse({ params }) {
        const source = typeof params.source === "string" ? params.source : params.source.body;
        checkNestingBeforeParse(source, MAX_NESTING);
      },
    },
    EnvelopArmorPlugin({
      maxTokens: { n: MAX_TOKENS, ...armorOptions("QUERY_TOO_MANY_TOKENS") },
      maxDepth: { n: MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true, ...armorOptions("QUERY_TOO_DEEP") },
      maxAliases: { n: MAX_ALIASES, ...armorOptions("QUERY_TOO_MANY_ALIASES") },
      maxDirectives: { n: MAX_DIRECTIVES, ...armorOptions("QUERY_TOO_MANY_DIRECTIVES") },
      // Replaced by the list-aware cost below; field suggestions help users and the schema is public to them.
      costLimit: { enabled: false },
      blockFieldSuggestion: { enabled: false },
    }) as Plugin,
    {
      onExecute({ args, setResultAndStopExecution }) {
        const cost = operationCost(args.schema, args.document, args.variableValues ?? undefined, args.operationName ?? undefined);
        if (cost > limits.maxCost) {
          setResultAndStopExecution({
            errors: [limitError("QUERY_TOO_COSTLY", `This operation could return about ${cost} items; the limit is ${limits.maxCost} (GRAPHQL_MAX_COST). Ask for smaller pages (first) or fewer nested lists.`)],
          });
        }
      },
      onSubscribe({ args, setResultAndStopExecution }) {
        const cost = operationCost(args.schema, args.document, args.variableValues ?? undefined, args.operationName ?? undefined);
        if (cost > limits.maxCost) {
          setResultAndStopExecution({ errors: [limitError("QUERY_TOO_COSTLY", `This subscription costs ${cost}; the limit is ${limits.maxCost} (GRAPHQL_MAX_COST).`)] });
        }
      },
    },
    {
      onExecute() {
        return {
          onExecuteDone({ result, setResult }) {
            if (isAsyncIterable(result)) return;
            const bytes = Buffer.byteLength(JSON.stringify(result));
            if (bytes > limits.maxResponseBytes) {
              setResult({
                errors: [limitError("RESPONSE_TOO_LARGE", `The result is ${bytes} bytes; the limit is ${limits.maxResponseBytes} (GRAPHQL_MAX_RESPONSE_BYTES). Ask for fewer items or leave out large fields such as runLog.`)],
              });
            }
          },
        };
      },
    },
  ];
}

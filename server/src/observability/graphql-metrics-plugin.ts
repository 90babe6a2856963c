import { getOperationAST, type DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { activeSubscriptions, graphqlDuration, graphqlOperations } from "./metrics.ts";
import { newTraceId } from "./trace-context.ts";
import { startSpan } from "./tracing.ts";

/** Operation names come from clients: only this many distinct ones get their own series. */
const MAX_NAMES = 200;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const seen = new Set<string>();

function operationOf(document: DocumentNode, operationName: string | null | undefined): { operation: string; type: string } {
  const op = getOperationAST(document, operationName ?? undefined);
  const name = op?.name?.value;
  let operation = "anonymous";
  if (name && NAME.test(name)) {
    if (seen.has(name) || seen.size < MAX_NAMES) {
      seen.add(name);
      operation = name;
    } else operation = "other";
  }
  return { operation, type: op?.operation ?? "unknown" };
}

/** Yoga plugin: operations by name/type/outcome with their latency, and open subscriptions. */
export function graphqlMetricsPlugin(): Plugin {
  return {
    onExecute({ args }) {
      const labels = operationOf(args.document, args.operationName);
      const end = graphqlDuration.startTimer(labels);
      const span = startSpan(`graphql ${labels.type} ${labels.operation}`, "server", { "graphql.operation.name": labels.operation, "graphql.operation.type": labels.type }, newTraceId());
      return {
        onExecuteDone({ result }) {
          end();
          const failed = "errors" in result && !!result.errors?.length;
          span?.end(failed ? "GraphQL errors" : undefined);
          graphqlOperations.inc({ ...labels, outcome: failed ? "error" : "success" });
        },
      };
    },
    onSubscribe({ args }) {
      const labels = operationOf(args.document, args.operationName);
      return {
        onSubscribeResult({ result }) {
          const isStream = typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
          graphqlOperations.inc({ ...labels, outcome: isStream ? "success" : "error" });
          if (!isStream) return;
          activeSubscriptions.inc();
          let ended = false;
          return {
            onEnd() {
              if (ended) return;
              ended = true;
              activeSubscriptions.dec();
            },
          };
        },
        onSubscribeError() {
          graphqlOperations.inc({ ...labels, outcome: "error" });
        },
      };
    },
  };
}

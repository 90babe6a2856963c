import { getOperationAST, type DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { activeSubscriptions, graphqlDuration, graphqlOperations } from "./metrics.ts";
import { newTraceId } from "./trace-context.ts";
import { startSpan, tracingOn } from "./tracing.ts";

/** Operation names come from clients: only this many distinct ones get their own series. */
const MAX_NAMES = 200;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const seen = new Set<string>();

interface OperationLabels {
  operation: string;
  type: string;
  /** The histogram's labels, and the counter's for each outcome, made once. */
  timing: { operation: string; type: string };
  success: { operation: string; type: string; outcome: "success" };
  error: { operation: string; type: string; outcome: "error" };
}

/**
 * Per parsed document (Yoga keeps one per query text in its parse cache), the labels by requested
 * operation name: a repeated operation costs one WeakMap and one Map lookup, not a walk of the
 * document and a regular expression.
 */
const labelsOf = new WeakMap<DocumentNode, Map<string | undefined, OperationLabels>>();

function operationOf(document: DocumentNode, operationName: string | null | undefined): OperationLabels {
  const key = operationName ?? undefined;
  let byName = labelsOf.get(document);
  const cached = byName?.get(key);
  if (cached) return cached;
  const op = getOperationAST(document, key);
  const name = op?.name?.value;
  let operation = "anonymous";
  if (name && NAME.test(name)) {
    if (seen.has(name) || seen.size < MAX_NAMES) {
      seen.add(name);
      operation = name;
    } else operation = "other";
  }
  const type = op?.operation ?? "unknown";
  const labels = { operation, type, timing: { operation, type }, success: { operation, type, outcome: "success" as const }, error: { operation, type, outcome: "error" as const } };
  if (!byName) labelsOf.set(document, (byName = new Map()));
  // Bounded: a client could send one document with many names; past a few, just recompute.
  if (byName.size < 8) byName.set(key, labels);
  return labels;
}

/** Yoga plugin: operations by name/type/outcome with their latency, and open subscriptions. */
export function graphqlMetricsPlugin(): Plugin {
  return {
    onExecute({ args }) {
      const labels = operationOf(args.document, args.operationName);
      const started = performance.now();
      // Without span export, no span name, attributes or trace id are made for each operation.
      const span = tracingOn()
        ? startSpan(`graphql ${labels.type} ${labels.operation}`, "server", { "graphql.operation.name": labels.operation, "graphql.operation.type": labels.type }, newTraceId())
        : null;
      return {
        onExecuteDone({ result }) {
          graphqlDuration.observe(labels.timing, (performance.now() - started) / 1000);
          const failed = "errors" in result && !!result.errors?.length;
          span?.end(failed ? "GraphQL errors" : undefined);
          graphqlOperations.inc(failed ? labels.error : labels.success);
        },
      };
    },
    onSubscribe({ args }) {
      const labels = operationOf(args.document, args.operationName);
      return {
        onSubscribeResult({ result }) {
          const isStream = typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
          graphqlOperations.inc(isStream ? labels.success : labels.error);
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
          graphqlOperations.inc(labels.error);
        },
      };
    },
  };
}

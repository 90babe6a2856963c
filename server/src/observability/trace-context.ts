import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";

/** The W3C trace the current async work belongs to (a run's, or a webhook's for that run). */
export interface TraceContext {
  traceId: string;
  /** The span outbound calls are children of (the run's span when spans are exported). */
  spanId: string;
  sampled: boolean;
}

const store = new AsyncLocalStorage<TraceContext>();

const TRACE_ID = /^[0-9a-f]{32}$/;

export const newTraceId = () => randomBytes(16).toString("hex");
export const newSpanId = () => randomBytes(8).toString("hex");

export function isTraceId(value: unknown): value is string {
  return typeof value === "string" && TRACE_ID.test(value) && !/^0+$/.test(value);
}

/** Runs `fn` inside the trace `traceId` (a run's): its outbound requests carry it. */
export function withTrace<T>(traceId: string | null | undefined, fn: () => T, spanId = newSpanId()): T {
  if (!isTraceId(traceId)) return fn();
  return store.run({ traceId, spanId, sampled: true }, fn);
}

export function currentTrace(): TraceContext | undefined {
  return store.getStore();
}

/**
 * The `traceparent` header for an outbound request: the current trace (the request's exported span
 * id, or a fresh one), or a new trace when the work belongs to none.
 */
export function outboundTraceparent(spanId = newSpanId()): string {
  const trace = store.getStore();
  return `00-${trace?.traceId ?? newTraceId()}-${spanId}-${trace?.sampled === false ? "00" : "01"}`;
}

/** Parses an incoming `traceparent` (version 00); null when absent or malformed. */
export function parseTraceparent(header: string | null | undefined): { traceId: string; spanId: string } | null {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(header?.trim() ?? "");
  return m && isTraceId(m[1]) ? { traceId: m[1]!, spanId: m[2]! } : null;
}

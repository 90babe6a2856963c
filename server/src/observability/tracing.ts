import type { Attributes, Tracer } from "@opentelemetry/api";
import type { TracerProvider } from "@opentelemetry/sdk-trace";
import { currentTrace } from "./trace-context.ts";

/**
 * Span export through the OpenTelemetry SDK, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 * Off, `startSpan` returns null at once: no SDK object is made and nothing is exported, and the
 * OpenTelemetry packages (~300 modules) are not even loaded: startTracing imports them.
 *
 * Trace ids are ours (the run's, stored in JobLog.traceId): a root span is given the run's trace
 * id through the id generator, so the exported trace is the one the run page, the webhook and the
 * other side's traceparent show. Parents are passed explicitly (our own AsyncLocalStorage trace
 * context), so no global context manager is installed.
 */
let provider: TracerProvider | null = null;
let tracer: Tracer | null = null;
let api: typeof import("@opentelemetry/api") | null = null;
let users = 0;
/** The trace id the next root span takes (set and used synchronously by startSpan). */
let nextTraceId: string | null = null;

export async function startTracing(endpoint: string, serviceName: string): Promise<void> {
  users++;
  if (provider) return;
  const [otel, { OTLPTraceExporter }, { resourceFromAttributes }, { BatchSpanProcessor, RandomIdGenerator, TracerProvider }] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/sdk-trace"),
  ]);
  if (provider) return; // another app of this process started it meanwhile
  const random = new RandomIdGenerator();
  const idGenerator = {
    generateTraceId: () => nextTraceId ?? random.generateTraceId(),
    generateSpanId: () => random.generateSpanId(),
  };
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, "")}/v1/traces` });
  provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": serviceName }),
    idGenerator,
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1000 })],
  });
  tracer = provider.getTracer("connecthub");
  api = otel;
}

/** Flushes and stops export when the last app of this process that started it stops. */
export async function stopTracing(): Promise<void> {
  if (!provider || --users > 0) return;
  const stopping = provider;
  provider = null;
  tracer = null;
  await stopping.shutdown();
}

/** Whether spans are exported in this process (a caller can skip building a span's name and id). */
export function tracingOn(): boolean {
  return tracer !== null;
}

export interface OpenSpan {
  spanId: string;
  end(error?: unknown): void;
}

export type SpanKindName = "internal" | "client" | "server";

/**
 * Starts a span in trace `traceId` (a root span), or, without one, as a child of the current trace
 * context (a run's outbound call). Null when export is off or there is no trace to join.
 */
export function startSpan(name: string, kind: SpanKindName, attributes: Attributes, traceId?: string | null): OpenSpan | null {
  if (!tracer || !api) return null;
  const { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } = api;
  const KINDS = { internal: SpanKind.INTERNAL, client: SpanKind.CLIENT, server: SpanKind.SERVER };
  const parent = traceId ? null : currentTrace();
  if (!traceId && !parent) return null;
  const context = parent
    ? trace.setSpanContext(ROOT_CONTEXT, { traceId: parent.traceId, spanId: parent.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: false })
    : ROOT_CONTEXT;
  nextTraceId = traceId ?? null;
  const span = tracer.startSpan(name, { kind: KINDS[kind], attributes }, context);
  nextTraceId = null;
  return {
    spanId: span.spanContext().spanId,
    end(error?: unknown) {
      if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      span.end();
    },
  };
}

/** Runs `work` (given the span's id, if any) and ends the span with its outcome. */
export async function traced<T>(span: OpenSpan | null, work: (spanId: string | undefined) => Promise<T>): Promise<T> {
  try {
    const result = await work(span?.spanId);
    span?.end();
    return result;
  } catch (error) {
    span?.end(error);
    throw error;
  }
}

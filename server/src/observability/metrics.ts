import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * The process's Prometheus registry and every ConnectHub metric. One registry per process: tests
 * that start several apps in one process share it, as the metrics describe the process.
 */
export const registry = new Registry();

let enabled = true;
let jobLabels = false;
let processMetrics = false;

/**
 * METRICS_ENABLED: off, the recording hooks return at once and no process metrics are collected.
 * METRICS_JOB_LABELS: job ids as a label only when the operator allows it (cardinality).
 */
export function configureMetrics(options: { enabled: boolean; jobLabels: boolean }): void {
  enabled = options.enabled;
  jobLabels = options.jobLabels;
  // Once per process (they register fixed names; a second call would throw), and only when on:
  // they watch the event loop and GC.
  if (enabled && !processMetrics) {
    collectDefaultMetrics({ register: registry });
    processMetrics = true;
  }
}

export function metricsEnabled(): boolean {
  return enabled;
}

/** The `job` label's value: the job id, or "" (Prometheus reads an empty label as absent). */
export function jobLabel(jobId: string): string {
  return jobLabels ? jobId : "";
}

const SECONDS_FAST = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SECONDS_RUN = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const SECONDS_LATE = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

export const runsFinished = new Counter({
  name: "connecthub_runs_finished_total",
  help: "Runs that ended, by job (when METRICS_JOB_LABELS), final status and trigger.",
  labelNames: ["job", "status", "trigger"] as const,
  registers: [registry],
});

export const runDuration = new Histogram({
  name: "connecthub_run_duration_seconds",
  help: "How long runs took from the handler's start to their end.",
  labelNames: ["job"] as const,
  buckets: SECONDS_RUN,
  registers: [registry],
});

export const scheduleLateness = new Histogram({
  name: "connecthub_schedule_lateness_seconds",
  help: "Scheduled runs only (CRON, INTERVAL, DATE): handler start minus the slot's instant.",
  labelNames: ["job"] as const,
  buckets: SECONDS_LATE,
  registers: [registry],
});

export const claimLatency = new Histogram({
  name: "connecthub_queue_claim_latency_seconds",
  help: "From a run being due (queued, or its slot) to a worker claiming it.",
  buckets: SECONDS_LATE,
  registers: [registry],
});

export const runsActive = new Gauge({
  name: "connecthub_runs_active",
  help: "Runs QUEUED or RUNNING now, read from the database at scrape time.",
  labelNames: ["status"] as const,
  registers: [registry],
});

export const firesSkipped = new Counter({
  name: "connecthub_fires_skipped_total",
  help: "Slots not run: reason misfire (missed beyond the grace) or overlap (another run active).",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: "connecthub_webhook_deliveries_total",
  help: "Run-finished webhook deliveries by outcome (delivered, failed, not_sent).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

export const graphqlOperations = new Counter({
  name: "connecthub_graphql_operations_total",
  help: "GraphQL operations by operation name, type and outcome (success, error).",
  labelNames: ["operation", "type", "outcome"] as const,
  registers: [registry],
});

export const graphqlDuration = new Histogram({
  name: "connecthub_graphql_operation_duration_seconds",
  help: "GraphQL execution time by operation name and type (subscriptions excluded).",
  labelNames: ["operation", "type"] as const,
  buckets: SECONDS_FAST,
  registers: [registry],
});

export const activeSubscriptions = new Gauge({
  name: "connecthub_graphql_active_subscriptions",
  help: "GraphQL subscriptions open now in this process.",
  registers: [registry],
});

export const eventBusReconnects = new Counter({
  name: "connecthub_event_bus_reconnects_total",
  help: "Times the event bus's LISTEN connection was lost and reconnected.",
  registers: [registry],
});

export const runsPurged = new Counter({
  name: "connecthub_runs_purged_total",
  help: "Finished runs deleted by the retention policy (reason age or keep_last).",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export { configureMetrics, metricsEnabled, registry } from "./metrics.ts";
export { countEventBusReconnect, recordFiresSkipped, recordRunFinished, recordRunStarted, recordWebhookDelivery } from "./record.ts";
export { graphqlMetricsPlugin } from "./graphql-metrics-plugin.ts";
export { startTracing, stopTracing } from "./tracing.ts";

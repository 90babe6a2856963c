import type { AppPart } from "./app-part.ts";
import { configureAudit } from "./audit/index.ts";
import { secretSettingValues, type Config } from "./config/config.ts";
import type { Topic } from "./events/event-map.ts";
import { createWorkerPart } from "./execution/worker-part.ts";
import { createApiPart, createFirstAdminPart } from "./graphql/api-part.ts";
import { adminStatic } from "./http/admin-static.ts";
import { createHttpServer } from "./http/http-server.ts";
import { processSecrets } from "./logging/live-secrets.ts";
import { logger } from "./logging/logger.ts";
import { metricsOffRoute, metricsRoute, startMetricsListener } from "./http/metrics-route.ts";
import { configureMetrics, startTracing, stopTracing } from "./observability/index.ts";
import { openRuntime, type Runtime } from "./runtime.ts";
import { createSchedulerPart } from "./scheduler/scheduler-part.ts";

/** `all` runs everything in one process (the default of `npm start`); `api` and `worker` scale apart. */
export type ProcessRole = "all" | "api" | "worker";
export const PROCESS_ROLES: readonly ProcessRole[] = ["all", "api", "worker"];

export type { AppPart } from "./app-part.ts";

export interface App {
  runtime: Runtime;
  /** The HTTP port actually bound (0 in config means any free port); null for workers. */
  port: number | null;
  stop(): Promise<void>;
}

/**
 * What the worker and scheduler parts subscribe to. A worker process listens to nothing else: the
 * run status and output events its runs publish (several per run) are for API processes.
 */
const WORKER_TOPICS: readonly Topic[] = ["job.changed", "run.cancelRequested", "queue.jobReady"];

export async function buildApp(config: Config, role: ProcessRole) {
  return {
    async start(): Promise<App> {
      const log = logger();
      processSecrets.add(secretSettingValues(config));
      configureMetrics({ enabled: config.METRICS_ENABLED, jobLabels: config.METRICS_JOB_LABELS });
      configureAudit({ enabled: config.AUDIT_ENABLED });
      if (!config.AUDIT_ENABLED) log.warn("AUDIT_ENABLED=false: no audit events are recorded by this process");
      const runtime = await openRuntime(config, role === "worker" ? { listenTo: WORKER_TOPICS } : {});
      const parts: AppPart[] = [];
      const started: AppPart[] = [];
      let port: number | null = null;
      try {
        if (role !== "api") {
          parts.push(createWorkerPart(runtime, { role }), createSchedulerPart(runtime));
        }
        if (config.OTEL_EXPORTER_OTLP_ENDPOINT) parts.push(tracingPart(config.OTEL_EXPORTER_OTLP_ENDPOINT, config.APP_NAME));
        if (config.METRICS_PORT !== undefined) parts.push(metricsListenerPart(runtime, config.METRICS_PORT));
        if (role !== "worker") {
          const http = createHttpServer(runtime);
          const api = createApiPart(runtime, http);
          http.mount("/metrics", config.METRICS_ENABLED ? metricsRoute(runtime.prisma) : metricsOffRoute());
          http.mount("/admin", adminStatic());
          parts.push(createFirstAdminPart(runtime));
          parts.push({
            name: "http",
            start: async () => {
              port = await http.listen(config.PORT, config.HOST);
              log.info({ port, role, storage: config.storageMode, queue: config.queueBackend }, `${config.APP_NAME} listening`);
            },
            stop: () => http.close(),
          });
          // After http, so it stops first: its WebSockets would otherwise keep the server open.
          parts.push(api);
        }
        for (const part of parts) {
          await part.start();
          started.push(part);
        }
        log.info({ role, parts: started.map((p) => p.name) }, `${config.APP_NAME} ${role} started`);
      } catch (error) {
        for (const part of started.reverse()) await part.stop().catch(() => undefined);
        await runtime.close();
        throw error;
      }
      return {
        runtime,
        get port() {
          return port;
        },
        async stop() {
          for (const part of started) part.quiesce?.();
          for (const part of started.reverse()) {
            await part.stop().catch((err) => log.error({ err, part: part.name }, "error while stopping"));
          }
          await runtime.close();
        },
      };
    },
  };
}

/** METRICS_PORT's credential-free listener on 127.0.0.1 (every role; a worker's only listener). */
function metricsListenerPart(runtime: Runtime, port: number): AppPart {
  let listener: Awaited<ReturnType<typeof startMetricsListener>> | undefined;
  return {
    name: "metrics",
    async start() {
      listener = await startMetricsListener(runtime.prisma, port);
      logger().info({ port: listener.port }, "metrics listening on 127.0.0.1");
    },
    stop: async () => listener?.close(),
  };
}

/** OTEL_EXPORTER_OTLP_ENDPOINT: span export on; stopped (and flushed) last, after the runs it traced. */
function tracingPart(endpoint: string, serviceName: string): AppPart {
  return { name: "tracing", start: async () => startTracing(endpoint, serviceName), stop: () => stopTracing() };
}

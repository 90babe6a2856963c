import type { AppPart } from "./app-part.ts";
import { configureAudit } from "./audit/index.ts";
import { secretSettingValues, type Config } from "./config/config.ts";
import type { Topic } from "./events/event-map.ts";
import { adminStatic } from "./http/admin-static.ts";
import { createHttpServer } from "./http/http-server.ts";
import { processSecrets } from "./logging/live-secrets.ts";
import { logger } from "./logging/logger.ts";
import { metricsOffRoute, metricsRoute, startMetricsListener } from "./http/metrics-route.ts";
import { configureMetrics, startTracing, stopTracing } from "./observability/index.ts";
import type { ProcessRole } from "./roles.ts";
import { openRuntime, type Runtime, type RuntimeOptions } from "./runtime.ts";
import { markStartup, startupMarks } from "./startup-timings.ts";

export { PROCESS_ROLES, type ProcessRole } from "./roles.ts";

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

export async function buildApp(config: Config, role: ProcessRole, options: Pick<RuntimeOptions, "embedded"> = {}) {
  return {
    async start(): Promise<App> {
      const log = logger();
      processSecrets.add(secretSettingValues(config));
      configureMetrics({ enabled: config.METRICS_ENABLED, jobLabels: config.METRICS_JOB_LABELS });
      configureAudit({ enabled: config.AUDIT_ENABLED });
      if (!config.AUDIT_ENABLED) log.warn("AUDIT_ENABLED=false: no audit events are recorded by this process");
      // Each role loads only its parts' modules (a worker no GraphQL, an api no planner), while
      // the runtime opens.
      const modules = Promise.all([
        role !== "api" ? import("./execution/worker-part.ts") : null,
        role !== "api" ? import("./scheduler/scheduler-part.ts") : null,
        role !== "worker" ? import("./graphql/api-part.ts") : null,
      ]);
      modules.catch(() => undefined); // awaited below, after the runtime is open
      const runtime = await openRuntime(config, { ...options, ...(role === "worker" ? { listenTo: WORKER_TOPICS } : {}) });
      // Parts stop in the reverse of this order (the last pushed stops first).
      const parts: AppPart[] = [];
      // Started after the rest: /health vouches for serving (first admin, HTTP, API), not for the
      // worker's and the planner's first queue round trips, up to a second on a busy machine.
      const late = new Set<AppPart>();
      let started: AppPart[] = [];
      let port: number | null = null;
      try {
        const [workerModule, schedulerModule, apiModule] = await modules;
        markStartup("app modules");
        if (workerModule && schedulerModule) {
          const background = [workerModule.createWorkerPart(runtime, { role: role === "worker" ? "worker" : "all" }), schedulerModule.createSchedulerPart(runtime)];
          parts.push(...background);
          if (role === "all") background.forEach((part) => late.add(part));
        }
        if (config.OTEL_EXPORTER_OTLP_ENDPOINT) parts.push(tracingPart(config.OTEL_EXPORTER_OTLP_ENDPOINT, config.APP_NAME));
        if (config.METRICS_PORT !== undefined) parts.push(metricsListenerPart(runtime, config.METRICS_PORT));
        if (apiModule) {
          const http = createHttpServer(runtime);
          const api = apiModule.createApiPart(runtime, http);
          http.mount("/metrics", config.METRICS_ENABLED ? metricsRoute(runtime.prisma) : metricsOffRoute());
          http.mount("/admin", adminStatic());
          parts.push(apiModule.createFirstAdminPart(runtime));
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
        for (const part of [...parts.filter((p) => !late.has(p)), ...late]) {
          await part.start();
          markStartup(part.name);
          started.push(part);
        }
        started = [...parts];
        log.info({ role, parts: started.map((p) => p.name), startupMs: startupMarks() }, `${config.APP_NAME} ${role} started`);
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

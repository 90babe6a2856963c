import type { App } from "./app.ts";
import { ConfigError } from "./config/config-error.ts";
import { loadConfig } from "./config/config.ts";
import { startEmbedded } from "./embedded-start.ts";
import { configureLogger, logger } from "./logging/logger.ts";
import { PROCESS_ROLES, type ProcessRole } from "./roles.ts";
import { markStartup } from "./startup-timings.ts";

/** Beyond SHUTDOWN_GRACE_SECONDS, how long stopping may take before the process exits regardless. */
const SHUTDOWN_SLACK_SECONDS = 10;

/** Runs ConnectHub in this process until SIGTERM/SIGINT, then stops it cleanly. */
export async function runProcess(roleArg = "all"): Promise<void> {
  markStartup("process modules");
  if (!PROCESS_ROLES.includes(roleArg as ProcessRole)) {
    throw new ConfigError("role", `"${roleArg}" is not one of ${PROCESS_ROLES.join(", ")}`);
  }
  const config = loadConfig();
  await configureLogger({ level: config.LOG_LEVEL, logDir: config.logDir });
  // Signals are taken from the start: one arriving during start-up (initdb, a slow first migration)
  // must not kill the process before it has closed what start-up opened (the embedded PostgreSQL);
  // it stops as soon as it has started. Repeats are ignored: a terminal's Ctrl-C reaches us twice
  // when a launcher in our process group relays it.
  let app: App | undefined;
  let stopping = false;
  const stop = () => {
    // Runs get SHUTDOWN_GRACE_SECONDS (the worker part cancels what is left); whatever else hangs
    // (a store that does not answer) must not keep the process past this.
    const limitMs = (config.SHUTDOWN_GRACE_SECONDS + SHUTDOWN_SLACK_SECONDS) * 1000;
    setTimeout(() => {
      logger().error({ seconds: limitMs / 1000 }, "shutdown did not finish in time; exiting anyway");
      process.exit(1);
    }, limitMs).unref();
    return app!.stop().then(
      () => process.exit(0),
      (err) => (logger().error({ err }, "shutdown failed"), process.exit(1)),
    );
  };
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal }, app ? "shutting down" : "shutting down once started");
    if (app) void stop();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // The embedded PostgreSQL boots (a process of its own, on another core) while this one loads the
  // app's modules (GraphQL, Prisma, Agenda: most of a warm start's CPU); the app then waits for it.
  // Loading starts once PostgreSQL's process is spawned: the steps before (a dynamic import, a free
  // port) would otherwise queue behind the module loading and start it last.
  let spawned!: () => void;
  const booting = new Promise<void>((resolve) => (spawned = resolve)).then(() => markStartup("database spawned"));
  const embedded = config.DATABASE_URL ? undefined : startEmbedded(config, () => spawned());
  // Handled here, so a failure while the modules load is not an unhandled rejection; openRuntime
  // awaits it and reports it. One before the spawn (the DATA_DIR in use) is reported at once.
  let failedEarly = false;
  const settled = embedded?.then(() => undefined, () => void (failedEarly = true));
  if (settled) await Promise.race([booting, settled]);
  if (failedEarly) await embedded;
  let buildApp: typeof import("./app.ts").buildApp;
  try {
    ({ buildApp } = await import("./app.ts"));
  } catch (error) {
    await embedded?.then((db) => db.stop(), () => undefined);
    throw error;
  }
  app = await (await buildApp(config, roleArg as ProcessRole, { embedded })).start();
  if (stopping) void stop();
}

/** Prints an error the way start-up failures are reported, and exits non-zero. */
export function exitWithError(error: unknown): never {
  // Typed errors carry an actionable message: one line. Anything else gets its stack in the log.
  if (error instanceof ConfigError || (error as { code?: string })?.code) {
    process.stderr.write(`connecthub: ${(error as Error).message}\n`);
  } else {
    logger().fatal({ err: error }, "failed");
  }
  process.exit(1);
}

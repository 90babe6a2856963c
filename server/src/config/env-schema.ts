import path from "node:path";
import { DateTime } from "luxon";
import { z } from "zod";

// Small per-area pieces, composed into one schema over process.env.

// 0 asks the OS for any free port (tests use it).
const port = z.coerce.number().int("must be a whole number").min(0, "must be between 0 and 65535").max(65535, "must be between 0 and 65535");
const positiveInt = z.coerce.number().int("must be a whole number").positive("must be greater than 0");
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const postgresUrl = optionalString.refine(
  (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
  "must start with postgresql:// (or postgres://)",
);
const mongoUrl = optionalString.refine(
  (v) => v === undefined || /^mongodb(\+srv)?:\/\//.test(v),
  "must start with mongodb:// (or mongodb+srv://)",
);
const zone = z
  .string()
  .default("Asia/Shanghai")
  .refine((v) => DateTime.local().setZone(v).isValid, {
    error: (issue) => `"${String(issue.input)}" is not a known IANA zone`,
  });
const logLevel = z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info");
const boolean = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .default("")
  .transform((v) => v === "true" || v === "1" || v === "yes");
const booleanDefaultTrue = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .default("true")
  .transform((v) => v !== "false" && v !== "0" && v !== "no");

export const serverEnv = z.object({
  PORT: port.default(8000),
  HOST: z.string().default("0.0.0.0"),
  APP_NAME: z.string().min(1, "must not be empty").default("ConnectHub"),
  TIMEZONE: zone,
  LOG_LEVEL: logLevel,
  // Behind a reverse proxy: honour X-Forwarded-Proto/-Host/-For (never without one: clients forge them).
  TRUST_PROXY: boolean,
});

export const storageEnv = z.object({
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: postgresUrl,
  MONGODB_URL: mongoUrl,
  FERNET_KEY_PATH: optionalString,
  // Unset → $DATA_DIR/logs; set but empty → no file logs.
  LOG_DIR: z.string().optional(),
});

export const executionEnv = z.object({
  WORKER_CONCURRENCY: positiveInt.default(10),
  // How often an idle worker polls the queue; also how far ahead a poll locks due-soon jobs. Saves
  // wake workers at once (over the event bus), so this is the fallback for wake-ups lost in transit.
  QUEUE_POLL_MS: positiveInt.default(1000),
  JOB_TIMEOUT_SECONDS: positiveInt.default(3600),
  RUN_LOG_MAX_BYTES: positiveInt.default(200 * 1024),
  SHUTDOWN_GRACE_SECONDS: positiveInt.default(30),
  // How often a running run proves it is alive (and checks for a cancel request), and a worker
  // process refreshes its presence row (workers/; gone after three silent intervals).
  HEARTBEAT_SECONDS: positiveInt.default(10),
  // A RUNNING run whose heartbeat is older than this is marked ABANDONED (its worker died).
  ABANDON_AFTER_SECONDS: positiveInt.default(60),
  // Extra handler roots, comma-separated; each directory's basename is its handlerPath prefix.
  EXTENSION_ROOTS: optionalString,
  WEBHOOK_URL: optionalString,
  WEBHOOK_TOKEN: optionalString,
  WEBHOOK_SECRET: optionalString,
});

export const authEnv = z.object({
  ADMIN_USERNAME: z.string().default("admin"),
  ADMIN_PASSWORD: optionalString,
  SESSION_TTL_HOURS: positiveInt.default(12),
  // On by default: every GraphQL request is authenticated, and GraphiQL needs the schema.
  GRAPHQL_INTROSPECTION: booleanDefaultTrue,
});

/** Browser origins allowed to call the API with credentials, e.g. `https://ops.example.com`. */
const originList = z
  .string()
  .default("")
  .transform((v) => v.split(",").map((o) => o.trim()).filter(Boolean))
  .refine((list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), "must be a comma-separated list of origins like https://admin.example.com (scheme and host, no path)")
  .transform((list) => list.map((o) => new URL(o).origin));

// Bounds on the work and memory one request may cost (docs/security.md explains each).
export const limitsEnv = z.object({
  CORS_ORIGINS: originList,
  HTTP_MAX_BODY_BYTES: positiveInt.default(1024 * 1024),
  WS_MAX_PAYLOAD_BYTES: positiveInt.default(1024 * 1024),
  GRAPHQL_MAX_COST: positiveInt.default(10_000),
  GRAPHQL_MAX_RESPONSE_BYTES: positiveInt.default(8 * 1024 * 1024),
  LOGIN_MAX_FAILURES: positiveInt.default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt.default(50),
  LOGIN_LOCKOUT_SECONDS: positiveInt.default(300),
});

const optionalPort = optionalString
  .refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) <= 65535), "must be a port number between 0 and 65535")
  .transform((v) => (v === undefined ? undefined : Number(v)));

export const observabilityEnv = z.object({
  // false: no metrics are collected or served (no /metrics, no METRICS_PORT listener).
  METRICS_ENABLED: booleanDefaultTrue,
  // false: nothing is written to the audit log (for development boxes; auditors need it on).
  AUDIT_ENABLED: booleanDefaultTrue,
  // Serves /metrics without credentials on 127.0.0.1:<port> (also in worker-only processes).
  METRICS_PORT: optionalPort,
  // Job ids as a label on run metrics; off by default to bound series cardinality.
  METRICS_JOB_LABELS: boolean,
  // Finished runs older than this are purged in small batches by the minute tick.
  RUN_RETENTION_DAYS: positiveInt.default(90),
  // Audit events older than this are purged; the log is otherwise append-only.
  AUDIT_RETENTION_DAYS: positiveInt.default(365),
  // With it set, run / outbound HTTP / webhook / GraphQL spans are exported over OTLP/HTTP.
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString,
});

export const envSchema = serverEnv
  .extend(storageEnv.shape)
  .extend(executionEnv.shape)
  .extend(authEnv.shape)
  .extend(limitsEnv.shape)
  .extend(observabilityEnv.shape);

export type RawEnv = z.infer<typeof envSchema>;

export function resolvePaths(env: RawEnv, cwd: string) {
  const dataDir = path.resolve(cwd, env.DATA_DIR);
  const logDir = env.LOG_DIR === undefined ? path.join(dataDir, "logs") : env.LOG_DIR.trim() === "" ? null : path.resolve(cwd, env.LOG_DIR);
  const fernetKeyPath = env.FERNET_KEY_PATH ? path.resolve(cwd, env.FERNET_KEY_PATH) : path.join(dataDir, "fernet.key");
  return { dataDir, logDir, fernetKeyPath };
}

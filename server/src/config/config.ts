import { config as loadDotenv } from "dotenv";
import { ConfigError } from "./config-error.ts";
import { envSchema, resolvePaths, type RawEnv } from "./env-schema.ts";

export type StorageMode = "embedded" | "server";

export interface Config extends RawEnv {
  dataDir: string;
  logDir: string | null;
  fernetKeyPath: string;
  storageMode: StorageMode;
  queueBackend: "mongodb" | "postgres";
}

/** Parses the environment once. Throws ConfigError naming the first bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const value = env[variable];
    const shown = value === undefined || issue.message.includes(`"${value}"`) ? "" : ` "${value}"`;
    throw new ConfigError(`${variable}${shown}`, issue.message);
  }
  const raw = parsed.data;
  if (!raw.METRICS_ENABLED && raw.METRICS_PORT !== undefined) {
    throw new ConfigError("METRICS_PORT", "is set while METRICS_ENABLED=false turns metrics off: unset one of them");
  }
  return {
    ...raw,
    ...resolvePaths(raw, cwd),
    storageMode: raw.DATABASE_URL ? "server" : "embedded",
    queueBackend: raw.MONGODB_URL ? "mongodb" : "postgres",
  };
}

/** Reads `.env` (without overriding real environment variables), then parses. */
export function loadConfig(): Config {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}

/**
 * The secret values among the settings (global webhook credentials, the first admin's password,
 * database passwords): masked in everything the process writes out.
 */
export function secretSettingValues(config: Config): string[] {
  const values = [config.WEBHOOK_TOKEN, config.WEBHOOK_SECRET, config.ADMIN_PASSWORD];
  for (const url of [config.DATABASE_URL, config.MONGODB_URL]) {
    try {
      if (url) values.push(decodeURIComponent(new URL(url).password));
    } catch {
      // Not a URL the parser accepts; the config schema reports it elsewhere.
    }
  }
  return values.filter((v): v is string => typeof v === "string" && v !== "");
}

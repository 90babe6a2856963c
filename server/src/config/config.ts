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

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildApp, type App, type ProcessRole } from "../../src/app.ts";
import { parseConfig, type Config } from "../../src/config/config.ts";

/** A temp DATA_DIR, removed by `cleanup`. */
export function tempDataDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "connecthub-data-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Config as the process would parse it, on a free port, with file logs off unless asked. */
export function testConfig(env: Record<string, string | undefined>): Config {
  return parseConfig({ PORT: "0", HOST: "127.0.0.1", LOG_DIR: "", LOG_LEVEL: "warn", ...env }, process.cwd());
}

/** Boots the real app (HTTP server included) and returns it with its base URL. */
export async function startApp(env: Record<string, string | undefined>, role: ProcessRole = "all"): Promise<App & { baseUrl: string }> {
  const app = await (await buildApp(testConfig(env), role)).start();
  return Object.assign(app, { baseUrl: `http://127.0.0.1:${app.port}` });
}

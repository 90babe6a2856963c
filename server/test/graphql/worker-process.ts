import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tempDataDir } from "../harness/app.ts";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

/** A real `worker` process (dispatcher + executions) against the given database and Fernet key. */
export function startWorkerProcess(databaseUrl: string, fernetKeyPath: string, env: Record<string, string> = {}): { child: ChildProcess; stderr: () => string; stop(): Promise<void> } {
  const data = tempDataDir();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "server/src/main.ts"), "worker"], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: data.dir, FERNET_KEY_PATH: fernetKeyPath, LOG_DIR: "", LOG_LEVEL: "warn", MONGODB_URL: "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  return {
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      data.cleanup();
    },
  };
}

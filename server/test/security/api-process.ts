import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { tempDataDir } from "../harness/app.ts";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process, in MiB, from /proc (what the kernel charges it). */
export function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"))!;
  return Number(line.replace(/\D+/g, "")) / 1024;
}

/** A real `api` process (its own memory, measurable) on the given database. */
export async function startApiProcess(databaseUrl: string, env: Record<string, string> = {}) {
  const data = tempDataDir();
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "server/src/main.ts"), "api"], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: data.dir, LOG_DIR: "", LOG_LEVEL: "error", MONGODB_URL: "", PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`api process exited: ${stderr}`);
    const ok = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 600) throw new Error(`api process did not become healthy: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    pid: child.pid!,
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

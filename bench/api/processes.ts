import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface ChildApp {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `node --import tsx server/src/main.ts <role>` with `env`, as the tests start worker processes. */
export function spawnRole(role: "api" | "worker", env: Record<string, string>): ChildApp {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "server/src/main.ts"), role], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Polls GET /ready until it answers 200 (the process has migrated and listens). */
export async function waitReady(baseUrl: string, proc: ChildApp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`process exited early:\n${proc.output()}`);
    const ok = await fetch(`${baseUrl}/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready after ${timeoutMs} ms:\n${proc.output()}`);
}

/**
 * Waits until /graphql accepts a WebSocket handshake: the API part attaches its WebSocket server
 * after the HTTP server listens (and /ready answers), so an early upgrade is refused with 401.
 */
export async function waitWebSocket(wsUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const opened = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(wsUrl, "graphql-transport-ws");
      socket.once("open", () => (socket.close(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (opened) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no WebSocket server at ${wsUrl} after ${timeoutMs} ms`);
}

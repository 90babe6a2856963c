import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

/** `npm start` with no DATABASE_URL, as a real process (its own process group, like a terminal's). */
export interface EmbeddedServer {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** SIGTERM, then resolves with the exit code once the process is gone. */
  terminate(): Promise<number | null>;
  kill9(): Promise<void>;
}

export async function startEmbeddedServer(dataDir: string, env: Record<string, string> = {}): Promise<EmbeddedServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "server/src/main.ts"), "all"], {
    cwd: REPO,
    env: { ...inheritedEnv(), DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", LOG_DIR: "", LOG_LEVEL: "info", ADMIN_PASSWORD: "embedded-test-pass-1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const server: EmbeddedServer = {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    async terminate() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it was healthy:\n${output}`);
    const ok = await fetch(`${server.baseUrl}/health`).then((r) => r.ok, () => false);
    if (ok) return server;
    if (Date.now() > deadline) {
      await server.kill9();
      throw new Error(`the server was not healthy within 120 s:\n${output}`);
    }
    await sleep(250);
  }
}

/** Only what a shell would pass on: PATH and friends, never the test runner's DATABASE_URL. */
export function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => ["PATH", "HOME", "TMPDIR", "LANG", "NODE_OPTIONS"].includes(k)),
  ) as Record<string, string>;
}

/** The postmaster's pid from the cluster's postmaster.pid (null when there is none). */
export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(readFileSync(path.join(dataDir, "embedded-postgres", "postmaster.pid"), "utf8").split("\n")[0]) || null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Waits (bounded) for a pid to be gone; a zombie counts as gone once reaped by init. */
export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Pids of every postgres process whose command line names this cluster. */
export function postgresProcessesOf(dataDir: string): number[] {
  const pgdata = path.join(dataDir, "embedded-postgres");
  const pids: number[] = [];
  for (const entry of readdirSafe("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (argv.includes(pgdata) || postmasterChildOf(Number(entry), pgdata)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

function postmasterChildOf(pid: number, pgdata: string): boolean {
  // Backends show "postgres: ..." titles; their parent is the postmaster of the cluster.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  if (!ppid || ppid === 1) return false;
  try {
    return readFileSync(`/proc/${ppid}/cmdline`, "utf8").split("\0").includes(pgdata);
  } catch {
    return false;
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export async function gql<T = Record<string, unknown>>(baseUrl: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<{ data?: T; errors?: Array<{ message: string }> }> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The pid of the watchdog shell that stops this postmaster when its owner dies (null if none). */
export function watchdogOf(postmaster: number): number | null {
  for (const entry of readdirSafe("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (argv[0] === "/bin/sh" && argv[2] === `read _; kill -INT ${postmaster} 2>/dev/null`) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  return null;
}

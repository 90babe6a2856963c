// Real ConnectHub processes (`server/src/main.ts <role>` under tsx, as `npm start` runs them) for
// fault tests and the soak benchmark: spawned in their own process group, killed with any signal,
// their output kept for failure messages.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureKeyFile } from "../../src/security/key-file.ts";
import { freePort } from "./pg-cluster.ts";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
export const TEST_JOBS_ROOT = fileURLToPath(new URL("../fixtures/test_jobs", import.meta.url));

export type Role = "all" | "api" | "worker";

export interface RoleProcess {
  role: Role;
  /** HTTP port (api and all); null for workers. */
  port: number | null;
  baseUrl: string | null;
  child: ChildProcess;
  alive(): boolean;
  /** The last `chars` characters of stdout and stderr (about the last 100 kB are kept). */
  output(chars?: number): string;
  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/** Settings shared by the processes of one deployment: one database, one key file. */
export interface Deployment {
  env: Record<string, string>;
  cleanup(): void;
}

export async function deployment(databaseUrl: string, env: Record<string, string> = {}): Promise<Deployment> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "connecthub-deploy-"));
  const keyPath = path.join(dir, "fernet.key");
  // Made before the processes start, so that several starting together share one key.
  await ensureKeyFile(keyPath);
  return {
    env: {
      DATABASE_URL: databaseUrl,
      MONGODB_URL: "",
      FERNET_KEY_PATH: keyPath,
      EXTENSION_ROOTS: TEST_JOBS_ROOT,
      ADMIN_USERNAME: "admin",
      ADMIN_PASSWORD: "fault-test-admin-pass",
      LOG_DIR: "",
      LOG_LEVEL: "info",
      HOST: "127.0.0.1",
      ...env,
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function spawnRole(role: Role, deploy: Deployment, env: Record<string, string> = {}): Promise<RoleProcess> {
  const port = role === "worker" ? null : await freePort();
  const data = mkdtempSync(path.join(os.tmpdir(), `connecthub-${role}-`));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "server/src/main.ts"), role], {
    cwd: REPO,
    env: { ...process.env, ...deploy.env, DATA_DIR: data, PORT: String(port ?? 0), ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    role,
    port,
    baseUrl: port ? `http://127.0.0.1:${port}` : null,
    child,
    alive,
    output: (chars = 6000) => out.slice(-chars),
    async stop(signal = "SIGTERM", graceMs = 30_000) {
      if (alive()) {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          child.kill(signal);
        }
        const timer = setTimeout(() => alive() && child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** GET /ready: status and body, or null when nothing answers. */
export async function ready(proc: RoleProcess): Promise<{ status: number; body: Record<string, unknown> } | null> {
  try {
    const res = await fetch(`${proc.baseUrl}/ready`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return null;
  }
}

/** POST /graphql with a bearer token; the parsed body. */
export async function gql<T = Record<string, unknown>>(proc: RoleProcess, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${proc.baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  return (await res.json()) as T;
}

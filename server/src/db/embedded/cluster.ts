import { spawn } from "node:child_process";
import { chownSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { EmbeddedPostgresStartError } from "../db-errors.ts";
import type { PostgresBinaries } from "./binaries.ts";
import { isAlive } from "./owner-file.ts";
import type { ServerUser } from "./server-user.ts";

export const SUPERUSER = "postgres";
export const DATABASE = "postgres";
export const HOST = "127.0.0.1";

const READY_TIMEOUT_MS = 120_000; // crash recovery after a kill -9 replays WAL first
const FAST_STOP_MS = 30_000;
const PORT_ATTEMPTS = 5;

export interface ClusterLocation {
  /** The cluster (PGDATA). */
  pgdata: string;
  /** PostgreSQL's own start-up output; once running it logs to `<pgdata>/log/` (a file per weekday). */
  logFile: string;
  user: ServerUser;
}

export interface RunningCluster {
  port: number;
  pid: number;
  /** Fast shutdown (sessions ended, checkpoint written); immediate shutdown if that hangs. */
  stop(): Promise<void>;
}

/** initdb into a temp dir renamed into place, so a cluster directory only ever exists complete. */
export async function initCluster(binaries: PostgresBinaries, at: ClusterLocation, password: string, onSpawn?: () => void): Promise<void> {
  const temp = `${at.pgdata}.initdb`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { mode: 0o700 });
  const pwfile = path.join(path.dirname(at.pgdata), `.postgres-initdb-${process.pid}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (at.user.uid !== undefined) {
    chownSync(temp, at.user.uid, at.user.gid!);
    chownSync(pwfile, at.user.uid, at.user.gid!);
  }
  try {
    await run(binaries.initdb, ["-D", temp, "-U", SUPERUSER, "--auth=scram-sha-256", `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C", "--no-instructions"], at, onSpawn);
  } finally {
    rmSync(pwfile, { force: true });
  }
  renameSync(temp, at.pgdata);
}

/**
 * What a kill -9 of the previous owner leaves: its postmaster still running on this cluster
 * (stopped, so this process can own it), or a postmaster.pid whose pid now belongs to another
 * process (removed; PostgreSQL would refuse to start). A stale file of a dead pid PostgreSQL
 * clears itself.
 */
export async function clearLeftovers(pgdata: string): Promise<"none" | "stale-pid-file" | "stopped-orphan"> {
  const pidFile = path.join(pgdata, "postmaster.pid");
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  } catch {
    return "none";
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return "none";
  if (!isPostmasterOf(pid, pgdata)) {
    rmSync(pidFile, { force: true });
    return "stale-pid-file";
  }
  signal(pid, "SIGINT");
  if (!(await gone(pid, FAST_STOP_MS))) {
    signal(pid, "SIGQUIT");
    await gone(pid, 10_000);
  }
  return "stopped-orphan";
}

/**
 * Starts the postmaster on a free loopback port (TCP only: no Unix socket, whose path length and
 * directory permissions vary), in its own process group so a terminal's Ctrl-C or a signal to our
 * group reaches only us: we drain, then stop PostgreSQL last.
 */
export async function startCluster(binaries: PostgresBinaries, at: ClusterLocation, password: string, onSpawn?: () => void): Promise<RunningCluster> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const logFd = openSync(at.logFile, "a", 0o600);
    const child = spawn(
      binaries.postgres,
      [
        "-D", at.pgdata,
        "-p", String(port),
        "-c", `listen_addresses=${HOST}`,
        "-c", "unix_socket_directories=",
        "-c", "logging_collector=on",
        "-c", "log_directory=log",
        "-c", "log_filename=postgresql-%a.log",
        "-c", "log_truncate_on_rotation=on",
        "-c", "log_rotation_age=1d",
        "-c", "log_rotation_size=0",
      ],
      { detached: true, stdio: ["ignore", logFd, logFd], uid: at.user.uid, gid: at.user.gid, env: { ...process.env, LC_MESSAGES: "C" } },
    );
    closeSync(logFd);
    child.unref();
    onSpawn?.();
    const exited = new Promise<string>((resolve) => {
      child.once("exit", (code, sig) => resolve(sig ? `signal ${sig}` : `exit code ${code}`));
      child.once("error", (error) => resolve(error.message));
    });
    // A process that exits without stop() (process.exit, a crash, even mid-start) still takes
    // PostgreSQL down; for kill -9 the watchdog does. Should both fail, the next start stops what
    // was left (clearLeftovers).
    const onExit = () => child.exitCode === null && child.signalCode === null && child.kill("SIGINT");
    process.on("exit", onExit);
    const watchdog = startWatchdog(child.pid!);
    try {
      await waitReady(port, password, exited, at);
    } catch (error) {
      process.off("exit", onExit);
      watchdog.kill();
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGQUIT");
      if (attempt < PORT_ATTEMPTS && /could not bind|Address already in use/i.test(logTail(at.logFile))) continue;
      throw error;
    }
    let stopping: Promise<void> | undefined;
    return {
      port,
      pid: child.pid!,
      stop() {
        stopping ??= (async () => {
          process.off("exit", onExit);
          watchdog.kill();
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill("SIGINT");
          if (await within(exited, FAST_STOP_MS)) return;
          child.kill("SIGQUIT");
          await within(exited, 10_000);
        })();
        return stopping;
      },
    };
  }
}

/**
 * A shell in PostgreSQL's process group that reads a pipe from this process: the pipe closes when
 * this process dies in any way (kill -9 included, or a kill of our whole process group, which does
 * not reach PostgreSQL), and the shell then asks the postmaster for a fast shutdown. No polling.
 */
function startWatchdog(postmasterPid: number): { kill(): void } {
  if (process.platform === "win32") return { kill: () => undefined };
  const shell = spawn("/bin/sh", ["-c", `read _; kill -INT ${postmasterPid} 2>/dev/null`], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
  shell.on("error", () => undefined);
  shell.stdin!.on("error", () => undefined);
  shell.unref();
  (shell.stdin as unknown as { unref?: () => void }).unref?.();
  return {
    kill() {
      if (shell.exitCode === null && shell.signalCode === null) shell.kill("SIGKILL");
    },
  };
}

async function waitReady(port: number, password: string, exited: Promise<string>, at: ClusterLocation): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let stopped: string | undefined;
  void exited.then((why) => (stopped = why));
  for (;;) {
    if (stopped) throw new EmbeddedPostgresStartError(path.dirname(at.pgdata), `PostgreSQL stopped (${stopped}): ${lastLines(at.logFile)}`, at.logFile);
    const client = new pg.Client({ host: HOST, port, user: SUPERUSER, password, database: DATABASE, connectionTimeoutMillis: 2_000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      if ((error as { code?: string }).code === "28P01") {
        throw new EmbeddedPostgresStartError(
          path.dirname(at.pgdata),
          "the password in embedded-postgres.password does not match the cluster's (was the file replaced?)",
          at.logFile,
        );
      }
      if (Date.now() > deadline) throw new EmbeddedPostgresStartError(path.dirname(at.pgdata), `not ready within ${READY_TIMEOUT_MS / 1000} s`, at.logFile);
    } finally {
      await client.end().catch(() => undefined);
    }
    await sleep(100);
  }
}

function run(file: string, args: string[], at: ClusterLocation, onSpawn?: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { uid: at.user.uid, gid: at.user.gid, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
    onSpawn?.();
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) return resolve();
      reject(new EmbeddedPostgresStartError(path.dirname(at.pgdata), `initdb failed (exit code ${code}): ${output.trim().split("\n").slice(-3).join(" ")}`, at.logFile));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function logTail(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-4000);
  } catch {
    return "";
  }
}

function lastLines(file: string): string {
  return logTail(file).trim().split("\n").slice(-3).join(" ") || "no output";
}

/** Is `pid` a postmaster serving `pgdata`? (Its command line names the directory after -D.) */
function isPostmasterOf(pid: number, pgdata: string): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return path.basename(argv[0] ?? "") === "postgres" && argv.includes(pgdata);
  } catch {
    // Gone, or no /proc (macOS): leave it be; PostgreSQL's shared-memory interlock still refuses
    // to start beside a live postmaster of this cluster.
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

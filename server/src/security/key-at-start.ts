import { existsSync } from "node:fs";
import { Fernet } from "./fernet.ts";
import { ensureKeyFile, readKeyFile } from "./key-file.ts";
import { MissingKeyFileError, SecretError } from "./secret-errors.ts";

/** The Fernet key a process runs with, or why it has none. */
export interface StartKey {
  key: string | null;
  /** Why secrets cannot be used (the key file is missing or unreadable); null when `key` is set. */
  problem: SecretError | null;
  /** True when this start generated the key file. */
  created: boolean;
  /** Jobs holding encrypted secrets that this process cannot use. */
  affectedJobIds: string[];
}

/**
 * Loads the key file, generating it only while nothing encrypted exists yet. A missing or broken
 * key file with secrets in the database does NOT get a fresh key (that would make every stored
 * secret unreadable and new ones unreadable once the real key is back): the process starts
 * without one and every use of a secret fails with the fix — restore fernet.key — instead of
 * crashing in a loop.
 */
export async function loadKeyAtStart(path: string, jobsWithSecrets: () => Promise<string[]>): Promise<StartKey> {
  if (existsSync(path)) {
    try {
      return { key: await readKeyFile(path), problem: null, created: false, affectedJobIds: [] };
    } catch (error) {
      if (!(error instanceof SecretError)) throw error;
      return { key: null, problem: error, created: false, affectedJobIds: await jobsWithSecrets() };
    }
  }
  const affected = await jobsWithSecrets();
  if (affected.length) return { key: null, problem: new MissingKeyFileError(path), created: false, affectedJobIds: affected };
  const { key, created } = await ensureKeyFile(path);
  return { key, problem: null, created, affectedJobIds: [] };
}

/** A Fernet for the start key; throws the start-up problem when there is no usable key. */
export function fernetAccessor(start: StartKey): () => Fernet {
  const fernet = start.key ? new Fernet(start.key) : null;
  return () => {
    if (!fernet) throw start.problem!;
    return fernet;
  };
}

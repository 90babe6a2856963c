import { copyFile, mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { readKeyFile } from "../security/key-file.ts";
import { MissingKeyFileError } from "../security/secret-errors.ts";
import { KeyMismatchError } from "./operation-errors.ts";

/** The key in `path`, or null when there is no key file yet. A file holding no valid key throws. */
export async function readKeyIfPresent(path: string): Promise<string | null> {
  try {
    return await readKeyFile(path);
  } catch (error) {
    if (error instanceof MissingKeyFileError) return null;
    throw error;
  }
}

export type KeyAction = "keep" | "write" | "replace";

/** What restoring `incoming` over the key file would do; a different key needs `force`. */
export function planKeyInstall(incoming: string | null, current: string | null, keyPath: string, force: boolean): KeyAction {
  if (incoming === null || incoming === current) return "keep";
  if (current === null) return "write";
  if (!force) throw new KeyMismatchError(keyPath);
  return "replace";
}

/**
 * Writes the key (mode 0600) through a temp file and a rename, so a reader never sees half a key.
 * A key being replaced is kept beside it: it is the only way back to secrets saved with it.
 */
export async function installKey(path: string, key: string, action: KeyAction): Promise<string | null> {
  if (action === "keep") return null;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let keptAs: string | null = null;
  if (action === "replace") {
    keptAs = `${path}.replaced-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    await copyFile(path, keptAs);
  }
  const temp = `${path}.restore-${process.pid}`;
  await writeFile(temp, key, { mode: 0o600 });
  await rename(temp, path);
  return keptAs;
}

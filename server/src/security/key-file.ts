/**
 * The Fernet key file (FERNET_KEY_PATH, `fernet.key` under DATA_DIR by default).
 *
 * Losing this file makes every stored secret config undecryptable, so nothing here ever
 * overwrites it: the key is generated once, with an exclusive create, and read ever after.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Fernet, generateFernetKey } from "./fernet.ts";
import { InvalidFernetKeyError, InvalidKeyFileError, MissingKeyFileError } from "./secret-errors.ts";

/**
 * Another process that just won the exclusive create may not have written the key yet. Its write
 * is 44 bytes, so a short wait covers it; a file still empty after that was left by a crash.
 */
const EMPTY_FILE_RETRIES = 40;
const EMPTY_FILE_RETRY_MS = 25;
const NOT_WRITABLE = "Make its directory writable by the server, or set FERNET_KEY_PATH to a writable location.";

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error ? String(error.code) : undefined;
}

function validatedKey(path: string, content: string): string {
  const key = content.trim();
  try {
    new Fernet(key);
  } catch (error) {
    if (error instanceof InvalidFernetKeyError) {
      throw new InvalidKeyFileError(path, "its content is not a Fernet key");
    }
    throw error;
  }
  return key;
}

async function readContent(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT") throw new MissingKeyFileError(path);
    throw new InvalidKeyFileError(path, `it cannot be read (${code ?? "unknown error"})`);
  }
}

/**
 * Read an existing key file, for when generating a key is not allowed (encrypted secrets exist).
 * Throws MissingKeyFileError if it is absent and InvalidKeyFileError if it holds no valid key.
 */
export async function readKeyFile(path: string): Promise<string> {
  let content = await readContent(path);
  for (let attempt = 0; content.trim() === "" && attempt < EMPTY_FILE_RETRIES; attempt += 1) {
    await sleep(EMPTY_FILE_RETRY_MS);
    content = await readContent(path);
  }
  if (content.trim() === "") {
    throw new InvalidKeyFileError(
      path,
      "it is empty",
      "If a secret was ever saved, restore fernet.key from backup; if none was, delete the empty file and restart to generate a key.",
    );
  }
  return validatedKey(path, content);
}

/**
 * Return the key in `path`, generating it (mode 0600) at first start. Safe when several
 * processes start at once: exactly one create succeeds, the others read what it wrote.
 */
export async function ensureKeyFile(path: string): Promise<{ key: string; created: boolean }> {
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new InvalidKeyFileError(path, `its directory cannot be created (${errorCode(error) ?? "unknown error"})`, NOT_WRITABLE);
  }
  const key = generateFernetKey();
  try {
    // "wx" fails with EEXIST instead of truncating, which is what makes this race-free.
    // No trailing newline: the file holds exactly what Python's Fernet.generate_key() returns.
    await writeFile(path, key, { flag: "wx", mode: 0o600 });
    return { key, created: true };
  } catch (error) {
    if (errorCode(error) !== "EEXIST") {
      throw new InvalidKeyFileError(path, `it cannot be created (${errorCode(error) ?? "unknown error"})`, NOT_WRITABLE);
    }
  }
  return { key: await readKeyFile(path), created: false };
}

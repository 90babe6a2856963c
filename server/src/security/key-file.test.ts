import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Fernet, generateFernetKey } from "./fernet.ts";
import { ensureKeyFile, readKeyFile } from "./key-file.ts";
import { InvalidKeyFileError, MissingKeyFileError } from "./secret-errors.ts";

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL("../../test/fixtures/fernet/ensure-key-file-child.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "connecthub-key-file-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("ensureKeyFile", () => {
  it.skipIf(process.platform === "win32")("creates missing parent directories and a key file readable only by its owner", async () => {
    const path = join(dir, "data", "nested", "fernet.key");
    const result = await ensureKeyFile(path);
    expect(result.created).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, "utf8")).toBe(result.key);
    expect(() => new Fernet(result.key)).not.toThrow();
  });

  it("a second call returns the same key without rewriting the file", async () => {
    const path = join(dir, "fernet.key");
    const first = await ensureKeyFile(path);
    const before = await stat(path);
    const second = await ensureKeyFile(path);
    const after = await stat(path);
    expect(second).toEqual({ key: first.key, created: false });
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);
    expect(await readFile(path, "utf8")).toBe(first.key);
  });

  it("never overwrites an existing key file, and trims the whitespace around its key", async () => {
    const path = join(dir, "fernet.key");
    const existing = generateFernetKey();
    await writeFile(path, `\n  ${existing}\r\n`);
    expect(await ensureKeyFile(path)).toEqual({ key: existing, created: false });
    expect(await readFile(path, "utf8")).toBe(`\n  ${existing}\r\n`);
  });

  it("concurrent calls in one process agree on one key and create it once", async () => {
    const path = join(dir, "fernet.key");
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureKeyFile(path)));
    expect(new Set(results.map((result) => result.key)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await readFile(path, "utf8")).toBe(results[0]?.key);
  });

  it("processes starting together agree on one key and create it once", async () => {
    const path = join(dir, "fernet.key");
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () => run(process.execPath, ["--import", "tsx", CHILD, path], { cwd: REPO_ROOT })),
    );
    const results = outputs.map((output) => JSON.parse(output.stdout) as { key: string; created: boolean });
    expect(new Set(results.map((result) => result.key)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await readFile(path, "utf8")).toBe(results[0]?.key);
  });

  it("waits for a key that another process has created but not yet written", async () => {
    const path = join(dir, "fernet.key");
    const key = generateFernetKey();
    await writeFile(path, "");
    const writeLater = new Promise<void>((resolve, reject) => {
      setTimeout(() => writeFile(path, key).then(resolve, reject), 100);
    });
    const [result] = await Promise.all([ensureKeyFile(path), writeLater]);
    expect(result).toEqual({ key, created: false });
  });

  it("refuses a file that stays empty, naming the path", async () => {
    const path = join(dir, "fernet.key");
    await writeFile(path, "");
    const error = await ensureKeyFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidKeyFileError);
    expect((error as InvalidKeyFileError).message).toContain(path);
    expect(await readFile(path, "utf8")).toBe("");
  });
});

describe("readKeyFile", () => {
  it("returns the key of an existing file", async () => {
    const path = join(dir, "fernet.key");
    const key = generateFernetKey();
    await writeFile(path, `${key}\n`);
    expect(await readKeyFile(path)).toBe(key);
  });

  it("a missing file is a MissingKeyFileError that names the path and says to restore from backup", async () => {
    const path = join(dir, "gone", "fernet.key");
    const error = await readKeyFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissingKeyFileError);
    expect((error as MissingKeyFileError).code).toBe("FERNET_KEY_FILE_MISSING");
    expect((error as MissingKeyFileError).message).toContain(path);
    expect((error as MissingKeyFileError).message).toContain("Restore fernet.key from backup");
  });

  it("content that is not a key is an InvalidKeyFileError naming the path but not the content", async () => {
    const path = join(dir, "fernet.key");
    await writeFile(path, "not-a-fernet-key-at-all");
    const error = await readKeyFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidKeyFileError);
    expect((error as InvalidKeyFileError).code).toBe("FERNET_KEY_FILE_INVALID");
    expect((error as InvalidKeyFileError).message).toContain(path);
    expect((error as InvalidKeyFileError).message).not.toContain("not-a-fernet-key-at-all");
  });
});

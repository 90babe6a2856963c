/**
 * Live compatibility with Python's `cryptography`: tokens travel both ways through a real
 * python3 process. Skipped where python3-cryptography is absent, except in CI, where its absence
 * is a failure so the check cannot silently vanish.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FERNET_VECTORS_PATH } from "../../test/fixtures/fernet/load-vectors.ts";
import { Fernet, generateFernetKey } from "./fernet.ts";

const GENERATOR = fileURLToPath(new URL("../../../scripts/fernet-vectors.py", import.meta.url));
// PYTHON lets CI point at an interpreter that has the cryptography package (.ci/run sets it).
const PYTHON = process.env.PYTHON ?? "python3";
const pythonReady = spawnSync(PYTHON, ["-c", "import cryptography.fernet"], { stdio: "ignore" }).status === 0;
const inCi = process.env.CI === "true";

// Key and tokens go through stdin, not argv, so they never show up in a process listing.
const PYTHON_DECRYPT = `
import json, sys
from cryptography.fernet import Fernet
request = json.load(sys.stdin)
sys.stdout.write(Fernet(request["key"]).decrypt(request["token"]).hex())
`;
const PYTHON_ENCRYPT = `
import json, sys
from cryptography.fernet import Fernet
request = json.load(sys.stdin)
sys.stdout.write(Fernet(request["key"]).encrypt(bytes.fromhex(request["hex"])).decode("ascii"))
`;

function python(script: string, request: Record<string, string>): string {
  return execFileSync(PYTHON, ["-c", script], { input: JSON.stringify(request), encoding: "utf8" });
}

function requirePython(): void {
  if (!pythonReady) {
    throw new Error("python3-cryptography is missing: install it (apt-get install python3-cryptography) so CI can prove Fernet compatibility");
  }
}

describe.skipIf(!pythonReady && !inCi)("Fernet against a live python3 cryptography", () => {
  it("Python decrypts a token that TypeScript encrypted", () => {
    requirePython();
    const key = generateFernetKey();
    const data = Buffer.concat([randomBytes(37), Buffer.from("密钥 secret", "utf8")]);
    const token = new Fernet(key).encrypt(data);
    expect(python(PYTHON_DECRYPT, { key, token })).toBe(data.toString("hex"));
  });

  it("TypeScript decrypts a token that Python encrypted", () => {
    requirePython();
    const key = generateFernetKey();
    const data = randomBytes(53);
    const token = python(PYTHON_ENCRYPT, { key, hex: data.toString("hex") });
    expect(new Fernet(key).decrypt(token).equals(data)).toBe(true);
  });

  it("the committed vectors are exactly what scripts/fernet-vectors.py generates", () => {
    requirePython();
    const dir = mkdtempSync(join(tmpdir(), "connecthub-fernet-vectors-"));
    try {
      const out = join(dir, "vectors.json");
      execFileSync(PYTHON, [GENERATOR, out], { stdio: "ignore" });
      expect(readFileSync(out, "utf8")).toBe(readFileSync(FERNET_VECTORS_PATH, "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import { loadFernetVectors } from "../../test/fixtures/fernet/load-vectors.ts";
import { Fernet, generateFernetKey } from "./fernet.ts";
import { parseToken } from "./fernet-token.ts";
import {
  InvalidFernetKeyError,
  MalformedTokenError,
  SecretDecryptError,
  SecretError,
  SecretPayloadError,
  TruncatedTokenError,
} from "./secret-errors.ts";

const fixtures = loadFernetVectors();
const fixtureFernet = new Fernet(fixtures.key);
const [firstVector] = fixtures.vectors;
if (!firstVector) throw new Error("vectors.json holds no vectors; regenerate it with scripts/fernet-vectors.py");

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`expected an Error instance, got ${typeof error}`);
  }
  throw new Error("expected the action to throw");
}

/** Flip one bit of the decoded token at `index` (negative counts from the end) and re-encode. */
function tamper(token: string, index: number): string {
  const bytes = Buffer.from(token, "base64url");
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

describe("compatibility with Python cryptography (committed vectors)", () => {
  it.each(fixtures.vectors)("decrypts Python's $name token to the same plaintext", (vector) => {
    expect(fixtureFernet.decrypt(vector.token).toString("utf8")).toBe(vector.plaintext);
  });

  it.each(fixtures.vectors)("encryptAt reproduces Python's $name token byte for byte", (vector) => {
    const token = fixtureFernet.encryptAt(vector.plaintext, vector.timestamp, Buffer.from(vector.ivHex, "hex"));
    expect(token).toBe(vector.token);
  });

  it.each(fixtures.dirty)("decrypts a dirty token ($name)", (dirty) => {
    expect(fixtureFernet.decrypt(dirty.token).toString("utf8")).toBe(dirty.plaintext);
  });

  it("decrypts a token wrapped as Python's str() of bytes", () => {
    expect(fixtureFernet.decrypt(`b'${firstVector.token}'`).toString("utf8")).toBe(firstVector.plaintext);
  });

  it("decrypts a token whose base64 padding was stripped", () => {
    const padded = fixtures.vectors.find((vector) => vector.token.endsWith("="));
    expect(padded, "fixtures need a token with padding").toBeDefined();
    const stripped = padded!.token.replace(/=+$/, "");
    expect(fixtureFernet.decrypt(stripped).toString("utf8")).toBe(padded!.plaintext);
  });
});

describe("Fernet round trips", () => {
  it("encrypt then decrypt returns the bytes that went in", () => {
    const fernet = new Fernet(generateFernetKey());
    const data = Buffer.from([0, 1, 2, 255, 254, 128, 10, 13]);
    expect(fernet.decrypt(fernet.encrypt(data)).equals(data)).toBe(true);
  });

  it("encrypt draws a fresh IV, so equal plaintexts give different tokens", () => {
    const fernet = new Fernet(generateFernetKey());
    expect(fernet.encrypt("same")).not.toBe(fernet.encrypt("same"));
  });

  it("encrypt stamps the current time in seconds", () => {
    const fernet = new Fernet(generateFernetKey());
    const before = Math.floor(Date.now() / 1000);
    const { timestamp } = parseToken(fernet.encrypt("x"));
    const after = Math.floor(Date.now() / 1000);
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(after);
  });

  it("encryptJson and decryptJson round-trip a secret config", () => {
    const fernet = new Fernet(generateFernetKey());
    const config = { appKey: "demo", nested: { 密码: "密钥" }, list: [1, 2], flag: true };
    expect(fernet.decryptJson(fernet.encryptJson(config))).toEqual(config);
  });

  it("generateFernetKey returns distinct 44-character keys that Fernet accepts", () => {
    const first = generateFernetKey();
    const second = generateFernetKey();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(first).not.toBe(second);
    expect(() => new Fernet(first)).not.toThrow();
  });
});

describe("rejected tokens", () => {
  it("a cut-off token says it looks truncated and to re-save the secret config", () => {
    // Cut inside the data: losing only "=" padding loses nothing and is tolerated (tested above).
    const body = firstVector.token.replace(/=+$/, "");
    for (const cut of [1, 2, 3, 5, 20, Math.floor(body.length / 2), body.length - 4]) {
      const error = catchError(() => fixtureFernet.decrypt(body.slice(0, -cut)));
      expect(error, `cut ${cut}`).toBeInstanceOf(TruncatedTokenError);
      expect(error.message).toContain("looks truncated");
      expect(error.message).toContain("Re-save");
    }
  });

  it("no prefix of a token decrypts", () => {
    for (let length = 0; length < firstVector.token.length; length += 1) {
      const prefix = firstVector.token.slice(0, length);
      // Padding-only cuts are still the complete data; every shorter prefix must fail.
      if (prefix.replace(/=+$/, "") === firstVector.token.replace(/=+$/, "")) continue;
      expect(() => fixtureFernet.decrypt(prefix), `length ${length}`).toThrow(SecretError);
    }
  });

  it("a token encrypted with another key fails with SECRET_UNDECRYPTABLE", () => {
    const other = new Fernet(generateFernetKey());
    const error = catchError(() => other.decrypt(firstVector.token));
    expect(error).toBeInstanceOf(SecretDecryptError);
    expect((error as SecretDecryptError).code).toBe("SECRET_UNDECRYPTABLE");
    expect(error.message).toContain("fernet.key from backup");
    expect(error.message).toContain("re-save");
  });

  it.each([
    ["the timestamp", 3],
    ["the IV", 12],
    ["the ciphertext", 30],
    ["the HMAC", -1],
  ])("a token with a flipped bit in %s is rejected", (_part, index) => {
    expect(() => fixtureFernet.decrypt(tamper(firstVector.token, index))).toThrow(SecretDecryptError);
  });

  it("plaintext JSON stored where a token belongs is reported as not a Fernet token", () => {
    const error = catchError(() => fixtureFernet.decrypt('{"password":"hunter2"}'));
    expect(error).toBeInstanceOf(MalformedTokenError);
    expect(error.message).not.toContain("hunter2");
  });

  it("a token with the wrong version byte is reported as not a Fernet token", () => {
    const bytes = Buffer.from(firstVector.token, "base64url");
    bytes[0] = 0x81;
    expect(() => fixtureFernet.decrypt(bytes.toString("base64url"))).toThrow(MalformedTokenError);
  });

  it("error messages never contain the token or the plaintext", () => {
    const errors = [
      catchError(() => fixtureFernet.decrypt(firstVector.token.slice(0, -7))),
      catchError(() => new Fernet(generateFernetKey()).decrypt(firstVector.token)),
      catchError(() => fixtureFernet.decrypt(`${firstVector.token.slice(0, 40)}!${firstVector.token.slice(40)}`)),
    ];
    for (const error of errors) {
      expect(error.message).not.toContain(firstVector.token.slice(8, 40));
      expect(error.message).not.toContain(firstVector.plaintext);
    }
  });
});

describe("JSON payloads", () => {
  it.each([
    ["an array", "[1,2]"],
    ["null", "null"],
    ["a string", '"text"'],
  ])("decryptJson refuses %s", (description, json) => {
    const error = catchError(() => fixtureFernet.decryptJson(fixtureFernet.encrypt(json)));
    expect(error).toBeInstanceOf(SecretPayloadError);
    expect(error.message).toContain(description);
  });

  it("decryptJson reports invalid JSON without quoting the decrypted text", () => {
    const error = catchError(() => fixtureFernet.decryptJson(fixtureFernet.encrypt("secret-not-json")));
    expect(error).toBeInstanceOf(SecretPayloadError);
    expect(error.message).not.toContain("secret-not-json");
  });
});

describe("keys", () => {
  const valid = generateFernetKey();
  it.each([
    ["empty", ""],
    ["too short", valid.slice(0, 20)],
    ["missing its padding", valid.slice(0, 43)],
    ["outside base64", `${valid.slice(0, 42)}!=`],
    ["48 bytes long", Buffer.alloc(48, 7).toString("base64url")],
  ])("a key that is %s is refused with InvalidFernetKeyError", (_why, key) => {
    const error = catchError(() => new Fernet(key));
    expect(error).toBeInstanceOf(InvalidFernetKeyError);
    expect((error as InvalidFernetKeyError).code).toBe("FERNET_KEY_INVALID");
    if (key.length > 8) expect(error.message).not.toContain(key.slice(0, 8));
  });

  it("surrounding whitespace around a key is ignored", () => {
    expect(new Fernet(`  ${fixtures.key}\n`).decrypt(firstVector.token).toString("utf8")).toBe(firstVector.plaintext);
  });
});

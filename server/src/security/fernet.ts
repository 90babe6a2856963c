/**
 * Fernet, byte-compatible with Python's `cryptography.fernet.Fernet`, so secret configs written by
 * the original system decrypt here and ours decrypt there.
 *
 * Built on node:crypto rather than the npm `fernet` package: that package (0.4.0) sits on
 * crypto-js 3.1, which upstream has discontinued, while node:crypto is OpenSSL, ships with Node,
 * and offers the constant-time comparison the HMAC check needs. Kept hand-written because
 * fernet-python.test.ts checks it against tokens made by Python's own `cryptography` both ways.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { encodeUrlsafeBase64, FERNET_VERSION, IV_BYTES, parseToken } from "./fernet-token.ts";
import { InvalidFernetKeyError, SecretDecryptError, SecretPayloadError } from "./secret-errors.ts";

const KEY_BYTES = 32;
/** 32 bytes in padded base64 are always 43 data characters and one "=". */
const KEY_TEXT = /^[A-Za-z0-9_\-+/]{43}=$/;

/** A new random key, in the same text form as Python's `Fernet.generate_key()`. */
export function generateFernetKey(): string {
  return encodeUrlsafeBase64(randomBytes(KEY_BYTES));
}

/** Split a key into its halves; throws InvalidFernetKeyError (never echoing the key) if it is not one. */
function decodeKey(key: string): { signingKey: Buffer; encryptionKey: Buffer } {
  if (typeof key !== "string") throw new InvalidFernetKeyError("it is not a string");
  const text = key.trim();
  if (!KEY_TEXT.test(text)) {
    throw new InvalidFernetKeyError(`it has ${text.length} characters or characters outside url-safe base64`);
  }
  const bytes = Buffer.from(text.replace(/=$/, "").replace(/\+/g, "-").replace(/\//g, "_"), "base64url");
  return { signingKey: bytes.subarray(0, 16), encryptionKey: bytes.subarray(16, KEY_BYTES) };
}

function describeJsonValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

export class Fernet {
  // Private fields keep the key halves out of console.log, util.inspect and JSON.stringify.
  readonly #signingKey: Buffer;
  readonly #encryptionKey: Buffer;

  constructor(key: string) {
    const { signingKey, encryptionKey } = decodeKey(key);
    this.#signingKey = signingKey;
    this.#encryptionKey = encryptionKey;
  }

  encrypt(data: string | Buffer): string {
    return this.encryptAt(data, Math.floor(Date.now() / 1000), randomBytes(IV_BYTES));
  }

  /**
   * Encrypt with a given timestamp (seconds) and IV. Only for reproducing test vectors: reusing an
   * IV in production weakens CBC, which is why `encrypt` always draws a fresh one.
   */
  encryptAt(data: string | Buffer, timeSeconds: number, iv: Buffer): string {
    if (!Number.isSafeInteger(timeSeconds) || timeSeconds < 0) {
      throw new RangeError("Fernet timestamp must be a non-negative integer number of seconds");
    }
    if (iv.length !== IV_BYTES) throw new RangeError(`Fernet IV must be ${IV_BYTES} bytes`);

    const plaintext = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    // Node's default auto-padding is PKCS7, as the spec requires.
    const cipher = createCipheriv("aes-128-cbc", this.#encryptionKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);

    const header = Buffer.alloc(9);
    header[0] = FERNET_VERSION;
    header.writeBigUInt64BE(BigInt(timeSeconds), 1);
    const signed = Buffer.concat([header, iv, ciphertext]);
    const hmac = createHmac("sha256", this.#signingKey).update(signed).digest();
    return encodeUrlsafeBase64(Buffer.concat([signed, hmac]));
  }

  /**
   * Decrypt a token, tolerating quotes and whitespace around or inside it. Like Python's
   * `decrypt()` without a ttl, the timestamp is not checked: secret configs do not expire.
   */
  decrypt(token: string): Buffer {
    const parts = parseToken(token);
    const expected = createHmac("sha256", this.#signingKey).update(parts.signed).digest();
    if (!timingSafeEqual(expected, parts.hmac)) throw new SecretDecryptError();

    const decipher = createDecipheriv("aes-128-cbc", this.#encryptionKey, parts.iv);
    try {
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
    } catch {
      // Only reachable when the signing half matches but the encryption half does not.
      throw new SecretDecryptError();
    }
  }

  encryptJson(obj: Record<string, unknown>): string {
    return this.encrypt(JSON.stringify(obj));
  }

  decryptJson(token: string): Record<string, unknown> {
    const plaintext = this.decrypt(token);
    let text: string;
    let value: unknown;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(plaintext);
    } catch {
      throw new SecretPayloadError("not UTF-8 text");
    }
    try {
      value = JSON.parse(text);
    } catch {
      // No `cause`: JSON.parse's message quotes the text, which is the secret.
      throw new SecretPayloadError("not valid JSON");
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new SecretPayloadError(describeJsonValue(value));
    }
    return value as Record<string, unknown>;
  }
}

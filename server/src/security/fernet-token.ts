/**
 * The byte layout of a Fernet token and the clean-up applied before reading one.
 *
 * Layout (https://github.com/fernet/spec): version 0x80 | 64-bit big-endian timestamp | 16-byte IV
 * | AES-128-CBC ciphertext (whole 16-byte blocks) | 32-byte HMAC-SHA256 of everything before it,
 * the whole encoded as url-safe base64 with "=" padding, as Python's `cryptography` emits it.
 */
import { MalformedTokenError, TruncatedTokenError } from "./secret-errors.ts";

export const FERNET_VERSION = 0x80;
export const IV_BYTES = 16;
export const HMAC_BYTES = 32;
const BLOCK_BYTES = 16;
const HEADER_BYTES = 1 + 8 + IV_BYTES;
/** An empty plaintext still pads to one block, so no complete token is shorter than this. */
export const MIN_TOKEN_BYTES = HEADER_BYTES + BLOCK_BYTES + HMAC_BYTES;

export interface FernetTokenParts {
  /** version || timestamp || iv || ciphertext: the bytes the HMAC covers. */
  signed: Buffer;
  hmac: Buffer;
  timestamp: bigint;
  iv: Buffer;
  ciphertext: Buffer;
}

/** Base64 over both alphabets: Python's urlsafe_b64decode also accepts "+" and "/". */
const BASE64_TOKEN = /^[A-Za-z0-9_\-+/]*={0,2}$/;
const QUOTED = /^(["'])(.*)\1$/s;
/** What `str(token_bytes)` produces in Python, a common way tokens got stored dirty. */
const PYTHON_BYTES_REPR = /^b(["'])(.*)\1$/s;

/**
 * Undo the damage the original system tolerated: tokens wrapped in quotes, or with spaces and
 * line breaks pasted into them. Whitespace never belongs to a token, so all of it goes.
 */
export function cleanToken(raw: string): string {
  let token = raw.replace(/\s+/g, "");
  for (;;) {
    const inner = QUOTED.exec(token)?.[2] ?? PYTHON_BYTES_REPR.exec(token)?.[2];
    if (inner === undefined) break;
    token = inner;
  }
  // A quote left on one side only means the other side, with its quote, was cut off; the length
  // checks below then report the truncation.
  return token.replace(/^["']+|["']+$/g, "");
}

/** Python's urlsafe_b64encode: "-" and "_" instead of "+" and "/", padding kept. */
export function encodeUrlsafeBase64(bytes: Buffer): string {
  return bytes.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

/** Decode a cleaned-up token and check its structure; the signature is checked by the caller. */
export function parseToken(raw: string): FernetTokenParts {
  const token = cleanToken(raw);
  if (!BASE64_TOKEN.test(token)) {
    throw new MalformedTokenError("it contains characters that url-safe base64 does not use");
  }
  const body = token.replace(/=+$/, "");
  if (body.length === 0) throw new TruncatedTokenError("it is empty");
  if (body.length % 4 === 1) {
    throw new TruncatedTokenError("its base64 text ends in the middle of a byte");
  }
  const padding = token.length - body.length;
  const expectedPadding = (4 - (body.length % 4)) % 4;
  if (padding > expectedPadding) throw new MalformedTokenError("its base64 padding is longer than the data allows");
  if (padding > 0 && padding < expectedPadding) {
    throw new TruncatedTokenError("its base64 padding is cut short");
  }

  const bytes = Buffer.from(body.replace(/\+/g, "-").replace(/\//g, "_"), "base64url");
  if (bytes[0] !== FERNET_VERSION) {
    throw new MalformedTokenError("it does not start with the Fernet version byte");
  }
  if (bytes.length < MIN_TOKEN_BYTES) {
    throw new TruncatedTokenError(`${bytes.length} bytes, a complete token has at least ${MIN_TOKEN_BYTES}`);
  }
  if ((bytes.length - HEADER_BYTES - HMAC_BYTES) % BLOCK_BYTES !== 0) {
    throw new TruncatedTokenError(`${bytes.length} bytes do not hold a whole number of cipher blocks`);
  }

  const signed = bytes.subarray(0, bytes.length - HMAC_BYTES);
  return {
    signed,
    hmac: bytes.subarray(bytes.length - HMAC_BYTES),
    timestamp: bytes.readBigUInt64BE(1),
    iv: bytes.subarray(9, HEADER_BYTES),
    ciphertext: signed.subarray(HEADER_BYTES),
  };
}

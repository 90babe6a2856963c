/**
 * Errors raised while handling Fernet keys and secret tokens.
 *
 * Messages name what to do next. They never contain a key, a token or a plaintext: these errors
 * end up in job logs and API responses, and any of those three would leak the secret.
 */

/** Common base, so callers can catch every secret-handling failure with one `instanceof`. */
export abstract class SecretError extends Error {
  abstract override readonly name: string;
  abstract readonly code: string;
}

/** A Fernet key that is not 32 bytes of url-safe base64. */
export class InvalidFernetKeyError extends SecretError {
  override readonly name = "InvalidFernetKeyError";
  readonly code = "FERNET_KEY_INVALID";
  constructor(problem: string) {
    super(`Fernet key is invalid: ${problem}. A Fernet key is 32 random bytes in url-safe base64 (44 characters ending in "=").`);
  }
}

/** The token was cut off somewhere between encryption and storage (e.g. a too-short column). */
export class TruncatedTokenError extends SecretError {
  override readonly name = "TruncatedTokenError";
  readonly code = "SECRET_TRUNCATED";
  constructor(detail: string) {
    super(`Secret token looks truncated (${detail}). Re-save the job's secret config so it is encrypted again.`);
  }
}

/** The stored value is not a Fernet token at all (wrong characters, wrong version byte). */
export class MalformedTokenError extends SecretError {
  override readonly name = "MalformedTokenError";
  readonly code = "SECRET_MALFORMED";
  constructor(detail: string) {
    super(`Secret token is not a Fernet token (${detail}). Re-save the job's secret config so it is encrypted again.`);
  }
}

/**
 * The token is well-formed but its signature does not match this key. A wrong key and a
 * tampered token look identical by design of Fernet, so the message covers both.
 */
export class SecretDecryptError extends SecretError {
  override readonly name = "SecretDecryptError";
  readonly code = "SECRET_UNDECRYPTABLE";
  constructor() {
    super(
      "The current Fernet key cannot decrypt this secret token: it was encrypted with a different key or has been altered. " +
        "Restore the original fernet.key from backup, or re-save the job's secret config to encrypt it with the current key.",
    );
  }
}

/** Decryption worked but the plaintext is not the JSON object a secret config must be. */
export class SecretPayloadError extends SecretError {
  override readonly name = "SecretPayloadError";
  readonly code = "SECRET_NOT_JSON_OBJECT";
  constructor(problem: string) {
    super(`Decrypted secret config is ${problem}, not a JSON object. Re-save the job's secret config as a JSON object.`);
  }
}

/** The key file is gone while data encrypted with it may exist, so generating a new one is not allowed. */
export class MissingKeyFileError extends SecretError {
  override readonly name = "MissingKeyFileError";
  readonly code = "FERNET_KEY_FILE_MISSING";
  readonly path: string;
  constructor(path: string) {
    super(
      `Fernet key file ${path} does not exist, but encrypted secrets need it. ` +
        "Restore fernet.key from backup to that path (or point FERNET_KEY_PATH at it); a new key cannot decrypt existing secrets.",
    );
    this.path = path;
  }
}

const RESTORE_KEY_FILE =
  "Restore fernet.key from backup; it must hold exactly one Fernet key (44 characters of url-safe base64).";

/** The key file cannot be created or read, or does not hold a valid key. */
export class InvalidKeyFileError extends SecretError {
  override readonly name = "InvalidKeyFileError";
  readonly code = "FERNET_KEY_FILE_INVALID";
  readonly path: string;
  constructor(path: string, problem: string, action: string = RESTORE_KEY_FILE) {
    super(`Fernet key file ${path} cannot be used: ${problem}. ${action}`);
    this.path = path;
  }
}

import { createHash, randomBytes } from "node:crypto";

/** A random opaque credential: 32 bytes, url-safe, with a recognisable prefix. */
export function randomToken(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** Credentials are stored only as this hash; a leaked table reveals no usable token. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

import type { Fernet } from "../security/fernet.ts";
import { SecretError } from "../security/secret-errors.ts";

/**
 * The key names of an encrypted JSON object, decrypted in memory only. Values never leave this
 * function; a token this key cannot read yields no keys and the (secret-free) reason.
 */
export function secretKeyNames(token: string | null, fernet: () => Fernet): { keys: string[]; problem: string | null } {
  if (!token) return { keys: [], problem: null };
  try {
    return { keys: Object.keys(fernet().decryptJson(token)).sort(), problem: null };
  } catch (error) {
    if (error instanceof SecretError) return { keys: [], problem: error.message };
    return { keys: [], problem: "The stored secret cannot be read; re-save the job's secret config." };
  }
}

const FERNET_TOKEN = /^gAAAAA[A-Za-z0-9_\-=]{20,}$/;
const SECRET_KEY = /secret/i;

/**
 * A run's snapshot without its secrets: the snapshot carries the encrypted secret config (so a
 * retry runs with what the original ran with), which the API must never return, even encrypted.
 */
export function redactSnapshot(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSnapshot);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (SECRET_KEY.test(key) && (typeof v === "string" || v === null || typeof v === "object")) continue;
      out[key] = redactSnapshot(v);
    }
    return out;
  }
  if (typeof value === "string" && FERNET_TOKEN.test(value)) return "[redacted]";
  return value;
}

import type { Runtime } from "../runtime.ts";
import { ValidationError } from "./errors.ts";

const FIELD = "secretCfgUpdates";

/**
 * The secret config after `updates` (UpdateJobInput.secretCfgUpdates): a key given a value gets
 * it, a key given null is removed, keys not named keep their stored value — so a form can offer
 * "leave empty to keep" per key without the stored values ever leaving the server. Decrypted in
 * memory only; the caller stores the result through the ordinary `secretCfg` path (validated and
 * encrypted there). Refused with `secretCfg` or `clearSecretCfg`, which say something else.
 */
export function applySecretUpdates(
  runtime: Runtime,
  stored: string | null,
  input: { secretCfg?: unknown; clearSecretCfg?: boolean | null },
  updates: unknown,
): Record<string, unknown> {
  if (input.secretCfg != null || input.clearSecretCfg) {
    throw new ValidationError([{ field: FIELD, code: "SECRET_UPDATES_CONFLICT", message: "send secretCfgUpdates without secretCfg or clearSecretCfg" }]);
  }
  if (updates === null || typeof updates !== "object" || Array.isArray(updates)) {
    throw new ValidationError([{ field: FIELD, code: "NOT_AN_OBJECT", message: 'must be a JSON object of key → new value (null removes the key), e.g. {"api_key": "…"}' }]);
  }
  let current: Record<string, unknown> = {};
  if (stored) {
    try {
      current = runtime.fernet().decryptJson(stored);
    } catch {
      throw new ValidationError([
        { field: FIELD, code: "STORED_SECRET_UNREADABLE", message: "the stored secret config cannot be read with this server's key; send the whole secretCfg instead" },
      ]);
    }
  }
  const next = { ...current };
  for (const [key, value] of Object.entries(updates)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

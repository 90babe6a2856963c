// Keeps credentials out of logs and error messages. Two nets, because either alone leaks:
// - by key: any field, header or query parameter whose name looks sensitive (password, token,
//   secret, sign, …) is replaced, whatever its value;
// - by value: secrets the client knows (its password, the token it was just given) and the
//   secrets of the run it works for are scrubbed wherever they appear, e.g. echoed back inside an
//   error body or embedded in a path, in every encoding SecretMasker knows (base64, URL, JSON…).
import { maskLiveSecrets } from "../logging/live-secrets.ts";
import { MASK, SecretMasker } from "../logging/secret-masker.ts";

export const REDACTED = MASK;

/** Substrings that make a key sensitive once lower-cased with `-`/`_` removed. */
const SENSITIVE_KEY_PARTS = [
  "password",
  "passwd",
  "secret",
  "token",
  "signature",
  "apikey",
  "authorization",
  "cookie",
  "credential",
  "privatekey",
];

/**
 * Keys that are sensitive only as a whole word: "sign" must not catch "signal" or "design",
 * "pwd" must not catch "pwdHint"-like names that never hold secrets.
 */
const SENSITIVE_KEYS = new Set(["sign", "signkey", "sig", "pwd", "pass", "session", "sessionid", "ticket"]);

export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, "");
}

export function isSensitiveKey(key: string, extraKeys?: ReadonlySet<string>): boolean {
  const k = normalizeKey(key);
  if (extraKeys?.has(k)) return true;
  if (SENSITIVE_KEYS.has(k)) return true;
  return SENSITIVE_KEY_PARTS.some((part) => k.includes(part));
}

/** `ab****yz` for log lines that must show *which* token without revealing it. */
export function mask(value: unknown): string {
  const s = value == null ? "" : String(value);
  if (s.length === 0) return "";
  if (s.length < 8) return "****";
  return `${s.slice(0, 2)}****${s.slice(-2)}`;
}

export class Redactor {
  private readonly secrets = new SecretMasker();
  private readonly extraKeys: Set<string>;

  constructor(extraKeys: Iterable<string> = []) {
    this.extraKeys = new Set([...extraKeys].map(normalizeKey));
  }

  /** Registers a value that must never appear in clear (a password, a freshly issued token). */
  addSecret(value: unknown): void {
    if (typeof value !== "string" && typeof value !== "number") return;
    this.secrets.add(value);
  }

  /** A copy with extra sensitive keys, for one request (e.g. a response whose `id` is a token). */
  withKeys(keys: readonly string[] = []): Redactor {
    const copy = new Redactor([...this.extraKeys, ...keys]);
    copy.secrets.addAll(this.secrets);
    return copy;
  }

  /**
   * Registers the values of sensitive keys found in a request's query, headers or body, so
   * that a server echoing them back under an innocent name is still scrubbed.
   */
  learnFrom(input: unknown, depth = 0): void {
    if (depth > 20 || input == null) return;
    if (typeof input === "string") {
      const trimmed = input.trimStart();
      if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
          this.learnFrom(JSON.parse(input), depth + 1);
        } catch {
          // Not JSON: nothing keyed to learn from.
        }
      } else if (trimmed.includes("=")) {
        this.learnFrom(Object.fromEntries(new URLSearchParams(trimmed)), depth + 1);
      }
      return;
    }
    if (input instanceof URLSearchParams) {
      input.forEach((value, key) => this.isSensitive(key) && this.addSecret(value));
      return;
    }
    if (Array.isArray(input)) {
      for (const item of input) this.learnFrom(item, depth + 1);
      return;
    }
    if (typeof input === "object") {
      for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
        if (this.isSensitive(key) && (typeof value === "string" || typeof value === "number")) this.addSecret(value);
        else this.learnFrom(value, depth + 1);
      }
    }
  }

  isSensitive(key: string): boolean {
    return isSensitiveKey(key, this.extraKeys);
  }

  /** Replaces every known secret value (this client's and the live ones of the process) inside free text. */
  text(input: string): string {
    return maskLiveSecrets(this.secrets.mask(input));
  }

  url(input: string): string {
    let out: string;
    try {
      const url = new URL(input);
      if (url.password) url.password = REDACTED;
      for (const key of [...new Set(url.searchParams.keys())]) {
        if (this.isSensitive(key)) url.searchParams.set(key, REDACTED);
      }
      // URLSearchParams re-encodes "***" as "%2A%2A%2A"; keep the log readable.
      out = url.toString().replaceAll("%2A%2A%2A", REDACTED);
    } catch {
      out = this.formPairs(input);
    }
    return this.text(out);
  }

  headers(input: HeadersInit | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (!input) return out;
    new Headers(input).forEach((value, key) => {
      out[key] = this.isSensitive(key) ? REDACTED : this.text(value);
    });
    return out;
  }

  /** Deep copy of a JSON-like value with sensitive keys replaced and secret values scrubbed. */
  value(input: unknown, depth = 0): unknown {
    if (depth > 20) return "[too deep]";
    if (typeof input === "string") return this.text(input);
    if (Array.isArray(input)) return input.map((item) => this.value(item, depth + 1));
    if (input && typeof input === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, val] of Object.entries(input as Record<string, unknown>)) {
        out[key] = this.isSensitive(key) && val != null && val !== "" ? REDACTED : this.value(val, depth + 1);
      }
      return out;
    }
    return input;
  }

  /**
   * A request or response body as loggable text: JSON is redacted by key, `a=b&c=d` form
   * bodies by pair, anything else only by known secret values. Cut to `limit` characters.
   */
  body(input: unknown, limit = 2_000): string {
    if (input == null || input === "") return "";
    let text: string;
    if (typeof input === "string") {
      text = this.bodyText(input);
    } else if (input instanceof URLSearchParams) {
      text = this.formPairs(input.toString());
    } else if (typeof input === "object") {
      text = JSON.stringify(this.value(input));
    } else {
      text = this.text(String(input));
    }
    return excerpt(text, limit);
  }

  private bodyText(input: string): string {
    const trimmed = input.trimStart();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        return JSON.stringify(this.value(JSON.parse(input)));
      } catch {
        // Truncated or not JSON after all: fall through to pattern-based redaction.
      }
      return this.text(this.jsonLikePairs(input));
    }
    if (/^[^\s=&]+=[^&]*(&[^\s=&]+=[^&]*)*$/.test(trimmed)) return this.formPairs(input);
    return this.text(input);
  }

  /** `key=value` pairs in a query string or form body. */
  private formPairs(input: string): string {
    return input.replace(/([^?&=\s]+)=([^&#\s]*)/g, (whole, key: string) =>
      this.isSensitive(safeDecode(key)) ? `${key}=${REDACTED}` : whole,
    );
  }

  /** `"key": "value"` pairs in JSON that could not be parsed (e.g. cut short). */
  private jsonLikePairs(input: string): string {
    return input.replace(/"([^"\\]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g, (whole, key: string, colon: string) =>
      this.isSensitive(key) ? `"${key}"${colon}"${REDACTED}"` : whole,
    );
  }
}

export function excerpt(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… [${text.length - limit} more chars]`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

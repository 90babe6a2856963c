import { Redactor } from "../integrations/redact.ts";

/**
 * Removes a run's decrypted secret values from everything the run leaves behind (log lines,
 * message, traceback, result), whatever the handler did with them.
 */
export class SecretScrubber {
  private readonly redactor = new Redactor();
  private empty = true;

  /** Registers every string and number inside the decrypted secret config. */
  add(secrets: unknown, depth = 0): void {
    if (depth > 20 || secrets == null) return;
    if (typeof secrets === "string" || typeof secrets === "number") {
      this.redactor.addSecret(secrets);
      // The same value as it appears inside JSON text (quotes, backslashes, newlines escaped).
      if (typeof secrets === "string") this.redactor.addSecret(JSON.stringify(secrets).slice(1, -1));
      this.empty = false;
      return;
    }
    if (typeof secrets === "object") for (const v of Object.values(secrets)) this.add(v, depth + 1);
  }

  text = (input: string): string => (this.empty ? input : this.redactor.text(input));

  /** A JSON value with every string scrubbed (keys are left alone). */
  value(input: unknown, depth = 0): unknown {
    if (this.empty || depth > 50) return input;
    if (typeof input === "string") return this.text(input);
    if (Array.isArray(input)) return input.map((v) => this.value(v, depth + 1));
    if (input && typeof input === "object") {
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, this.value(v, depth + 1)]));
    }
    return input;
  }
}

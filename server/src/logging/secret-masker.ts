// Masks known secret values in text, in the forms they usually travel in. The one matcher behind
// every sink: a run's scrubber (run log, live output, message, traceback, result), BaseClient's
// redactor, and the process log (stdout, connecthub.log) through the live-secrets registry.
//
// Forms covered, for each registered string or number:
// - the value itself; from 6 characters on, in any letter case (upper-, lower- or mixed-cased);
// - JSON-escaped (once and twice: a JSON document logged inside a JSON log line);
// - URL-encoded (encodeURIComponent, form encoding with `+` for spaces, lower-case hex);
// - from 6 characters on: base64 (standard and URL-safe, with or without padding), including the
//   value inside a larger base64 blob at any byte offset (e.g. `Basic base64(user:value)`), and hex;
// - from 6 characters on: the value split by whitespace or line breaks (including `\n` escapes),
//   e.g. base64 wrapped at 76 columns or characters spaced apart.
// Not covered: a value cut into separate pieces written apart (half on one line, half on the next),
// hashes or encryption of it, and values shorter than 4 characters (too short to mask without
// mangling ordinary text).

export const MASK = "***";

/** Values shorter than this are not masked at all. */
export const MIN_MASKED_LENGTH = 4;
/** From this length on, encodings, letter case and whitespace splits are masked too. */
export const MIN_ENCODED_LENGTH = 6;

/** Whitespace, or its JSON escape, that may sit between the characters of a split value. */
const GAP = String.raw`(?:\s|\\[nrt])*`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  const std = bytes.toString("base64");
  forms.push(std, std.replace(/=+$/, ""));
  // The value at byte offset k (mod 3) inside a larger blob: keep only the characters whose six
  // bits all come from the value, since the ones at the edges depend on the neighbouring bytes.
  for (let k = 0; k < 3; k++) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString("base64");
    const first = Math.ceil((8 * k) / 6);
    const end = Math.floor((8 * k + 8 * bytes.length) / 6);
    if (end - first >= MIN_ENCODED_LENGTH) forms.push(encoded.slice(first, end));
  }
  return forms.flatMap((f) => [f, f.replace(/\+/g, "-").replace(/\//g, "_")]);
}

/** Every form of one value that is masked, longest first. */
export function secretForms(value: string): { exact: string[]; folded: string[] } {
  if (value.length < MIN_MASKED_LENGTH) return { exact: [], folded: [] };
  const json = JSON.stringify(value).slice(1, -1);
  const textual = [
    value,
    json,
    JSON.stringify(json).slice(1, -1),
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
  ];
  if (value.length < MIN_ENCODED_LENGTH) return { exact: [...new Set(textual)], folded: [] };
  const bytes = Buffer.from(value, "utf8");
  const forms = [...textual, ...base64Forms(bytes), bytes.toString("hex")];
  return { exact: [], folded: [...new Set(forms)].filter((f) => f.length >= MIN_ENCODED_LENGTH) };
}

/**
 * A set of secret values and the compiled matcher for all their forms. Values may be added at
 * any time (a run's secrets arrive once decrypted, a client's token once issued); the matcher is
 * rebuilt on the next use.
 */
export class SecretMasker {
  private readonly values = new Set<string>();
  private matcher: RegExp | null = null;
  private exactMatcher: RegExp | null = null;
  private dirty = false;

  get size(): number {
    return this.values.size;
  }

  /** Registers every string and number inside `input` (objects and arrays are walked). */
  add(input: unknown, depth = 0): void {
    if (depth > 20 || input == null) return;
    if (typeof input === "string" || typeof input === "number" || typeof input === "bigint") {
      const s = String(input);
      if (s.length >= MIN_MASKED_LENGTH && !this.values.has(s)) {
        this.values.add(s);
        this.dirty = true;
      }
      return;
    }
    if (typeof input === "object") for (const v of Object.values(input)) this.add(v, depth + 1);
  }

  /** Copies another masker's values into this one. */
  addAll(other: SecretMasker): void {
    for (const v of other.values) this.add(v);
  }

  /** `text` with every form of every registered value replaced by `***`. */
  mask(text: string): string {
    if (this.values.size === 0 || text.length < MIN_MASKED_LENGTH) return text;
    this.compile();
    let out = text;
    if (this.matcher) out = out.replace(this.matcher, MASK);
    if (this.exactMatcher) out = out.replace(this.exactMatcher, MASK);
    return out;
  }

  /** A JSON-like value with every string masked (keys are left alone). */
  maskValue(input: unknown, depth = 0): unknown {
    if (this.values.size === 0 || depth > 50) return input;
    if (typeof input === "string") return this.mask(input);
    if (Array.isArray(input)) return input.map((v) => this.maskValue(v, depth + 1));
    if (input && typeof input === "object") {
      return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, this.maskValue(v, depth + 1)]));
    }
    return input;
  }

  private compile(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const exact = new Set<string>();
    const folded = new Set<string>();
    for (const value of this.values) {
      const forms = secretForms(value);
      forms.exact.forEach((f) => exact.add(f));
      forms.folded.forEach((f) => folded.add(f));
    }
    // Longest first: a form that contains another is replaced whole.
    const byLength = (a: string, b: string) => b.length - a.length;
    const splitTolerant = (form: string) => [...form].map(escapeRegExp).join(GAP);
    this.matcher = folded.size ? new RegExp([...folded].sort(byLength).map(splitTolerant).join("|"), "giu") : null;
    // Short values: exact case only, except percent-encoding's hex digits.
    this.exactMatcher = exact.size ? new RegExp([...exact].sort(byLength).map((f) => escapeRegExp(f).replace(/%[0-9A-F]{2}/g, (p) => `(?:${p}|${p.toLowerCase()})`)).join("|"), "gu") : null;
  }
}

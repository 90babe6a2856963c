/** UTF-8 byte length of a string. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Bytes a code point takes inside a JSON string literal (escapes included). */
function jsonBytes(ch: string, raw: number): number {
  const code = ch.codePointAt(0)!;
  if (ch === '"' || ch === "\\") return 2;
  if (code < 0x20) return ch === "\n" || ch === "\r" || ch === "\t" || ch === "\b" || ch === "\f" ? 2 : 6;
  if (code === 0x2028 || code === 0x2029) return 6;
  return raw;
}

/**
 * Splits text into pieces of at most `maxBytes` UTF-8 bytes — and at most `maxBytes * 2` once
 * JSON-escaped, so a chunk of control characters still fits a NOTIFY payload — never inside a
 * character.
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (utf8Bytes(text) <= maxBytes && JSON.stringify(text).length <= maxBytes) return text ? [text] : [];
  const chunks: string[] = [];
  let current = "";
  let raw = 0;
  let escaped = 0;
  for (const ch of text) {
    const b = utf8Bytes(ch);
    const e = jsonBytes(ch, b);
    if (current && (raw + b > maxBytes || escaped + e > maxBytes * 2)) {
      chunks.push(current);
      current = "";
      raw = escaped = 0;
    }
    current += ch;
    raw += b;
    escaped += e;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes, cut between characters. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  if (utf8Bytes(text) <= maxBytes) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const b = utf8Bytes(ch);
    if (used + b > maxBytes) break;
    out += ch;
    used += b;
  }
  return out;
}

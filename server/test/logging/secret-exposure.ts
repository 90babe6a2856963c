// Finds a secret in text in the forms a handler or a client may write it in, so a test can say
// which form leaked where.

/** The forms of `secret` present in `text` (empty when it is masked everywhere). */
export function secretExposures(text: string, secret: string, user = "svc"): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  const forms: Record<string, string> = {
    plain: secret,
    base64: Buffer.from(secret).toString("base64").replace(/=+$/, ""),
    base64url: Buffer.from(secret).toString("base64url"),
    "basic auth": Buffer.from(`${user}:${secret}`).toString("base64").replace(/=+$/, ""),
    "url-encoded": encodeURIComponent(secret),
    "json-escaped": JSON.stringify(secret).slice(1, -1),
  };
  for (const [name, form] of Object.entries(forms)) if (text.includes(form)) found.push(name);
  if (!found.includes("plain") && lower.includes(secret.toLowerCase())) found.push("other letter case");
  // Split by whitespace or line breaks (`\n` escapes included).
  if (text.replace(/\s+|\\[nrt]/g, "").includes(secret)) found.push("split");
  return found;
}

import { createHash } from "node:crypto";

export type DidiParamValue = string | number | boolean | null | undefined | Record<string, unknown> | unknown[];

/**
 * Didi enterprise (滴滴企业版) request signature, as the original implementation computed it:
 *
 *   1. take every request parameter except `sign` itself, and add `sign_key` (the secret
 *      signing key; it is signed but never sent);
 *   2. drop parameters whose value is null/undefined (they are not sent either);
 *   3. render each value as text: strings as they are, numbers/booleans with String(),
 *      objects/arrays as JSON — the same text that is sent (e.g. Member/edit's `data`);
 *   4. sort by parameter name in ascending code-unit (ASCII) order;
 *   5. join as `name=value` pairs with `&`, with no URL-encoding;
 *   6. sign = lower-case hex MD5 of that UTF-8 string.
 *
 * Example: {client_id: "c1", timestamp: 1700000000} with sign_key "k" signs
 * "client_id=c1&sign_key=k&timestamp=1700000000".
 */
export function didiSignString(params: Record<string, DidiParamValue>, signKey: string): string {
  const pairs: [string, string][] = [["sign_key", signKey]];
  for (const [key, value] of Object.entries(normalizeDidiParams(params))) {
    if (key === "sign" || key === "sign_key") continue;
    pairs.push([key, value]);
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

export function didiSign(params: Record<string, DidiParamValue>, signKey: string): string {
  return createHash("md5").update(didiSignString(params, signKey), "utf8").digest("hex");
}

/** The parameters as they are signed: text, null/undefined dropped. */
export function normalizeDidiParams(params: Record<string, DidiParamValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(prepareDidiParams(params))) out[key] = String(value);
  return out;
}

/**
 * The parameters as they are sent: null/undefined dropped, objects/arrays turned into JSON
 * text (Didi takes nested data such as Member/edit's `data` as a JSON string), scalars kept.
 */
export function prepareDidiParams(params: Record<string, DidiParamValue>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === "object" ? JSON.stringify(value) : value;
  }
  return out;
}

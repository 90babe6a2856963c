import type { FieldError } from "../errors.ts";
import { storableValueIssue } from "./storable-value.ts";

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return "a string";
  return `a ${typeof value}`;
}

/**
 * A config field as the admin sends it: a JSON object, or the text of one (typed in a textarea).
 * Anything else — an array, a string, a number, empty text — is refused, as the original refused
 * it ("must be a JSON object"). The message never quotes the value: it may be a secret.
 */
export function jsonObject(field: string, value: unknown): { value?: Record<string, unknown>; error?: FieldError } {
  let parsed = value;
  if (typeof value === "string") {
    if (value.trim() === "") return { error: { field, code: "JSON_EMPTY", message: `${field} is empty; it must be a JSON object such as {"key": "value"} (use {} for none)` } };
    try {
      parsed = JSON.parse(value);
    } catch {
      return { error: { field, code: "JSON_INVALID", message: `${field} is not valid JSON; write a JSON object such as {"key": "value"} with double-quoted keys` } };
    }
  }
  if (parsed === null || parsed === undefined || typeof parsed !== "object" || Array.isArray(parsed)) {
    return { error: { field, code: "NOT_AN_OBJECT", message: `${field} must be a JSON object such as {"key": "value"}, not ${kindOf(parsed)}` } };
  }
  const problem = storableValueIssue(parsed);
  if (problem) return { error: { field, code: problem.code, params: problem.params, message: `${field} ${problem.message}` } };
  return { value: parsed as Record<string, unknown> };
}

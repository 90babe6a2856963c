// Stable codes and parameters for validation issues (zod 4's, or any standard schema's), so a
// client words them in its own language. Below every folder that validates: the API's rules
// (graphql/) and a handler's config schemas (plugins/) give the same codes.

export type ErrorParams = Record<string, string | number>;

/** What a validation issue may carry (zod 4's issue fields; other standard schemas give path and message only). */
export interface CodedIssue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;
  message: string;
  code?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  format?: string;
  expected?: string;
  values?: readonly unknown[];
  params?: Record<string, unknown>;
}

const MISSING = /received undefined$/;

/**
 * A stable code and parameters for an issue, so a client can word it in its own language. A
 * custom issue names its own (`ctx.addIssue({ code: "custom", params: { code: "…", … } })`);
 * zod's built-in ones map by kind: lengths, ranges, formats, types, options.
 */
export function issueCode(issue: CodedIssue): { code?: string; params?: ErrorParams } {
  const bound = (value: number | bigint | undefined) => Number(value);
  switch (issue.code) {
    case "custom": {
      const { code, ...params } = issue.params ?? {};
      if (typeof code !== "string") return {};
      const plain = Object.entries(params).filter(([, v]) => typeof v === "string" || typeof v === "number");
      return { code, params: Object.fromEntries(plain) as ErrorParams };
    }
    case "too_small":
      if (issue.origin === "string") return bound(issue.minimum) <= 1 ? { code: "REQUIRED" } : { code: "TOO_SHORT", params: { min: bound(issue.minimum) } };
      return { code: issue.origin === "number" ? "TOO_SMALL" : "TOO_FEW", params: { min: bound(issue.minimum) } };
    case "too_big":
      if (issue.origin === "string") return { code: "TOO_LONG", params: { max: bound(issue.maximum) } };
      return { code: issue.origin === "number" ? "TOO_BIG" : "TOO_MANY", params: { max: bound(issue.maximum) } };
    case "invalid_type":
      // zod leaves the input out of a reported issue; its own wording says what was received.
      return MISSING.test(issue.message) ? { code: "REQUIRED" } : { code: "WRONG_TYPE", params: { expected: String(issue.expected) } };
    case "invalid_format":
      return { code: "INVALID_FORMAT", params: { format: String(issue.format) } };
    case "invalid_value":
      return { code: "NOT_ONE_OF", params: { values: (issue.values ?? []).map(String).join(", ") } };
    case "unrecognized_keys":
      return { code: "UNKNOWN_KEYS" };
    default:
      return {};
  }
}

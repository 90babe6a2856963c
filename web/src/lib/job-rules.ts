/**
 * The server's job rules, for the editor's hints: limits, required fields and messages come from
 * job-rules.schema.json, which `npm run schema:print` generates from the zod schema the API and
 * `jobs import` check with (server/src/graphql/job-input/job-rules.ts). What JSON Schema cannot
 * say (cron syntax, zones, the handler) stays the server's and comes back as field errors.
 */
import type { FieldProblem } from "./action-result.ts";
import { fieldErrorText } from "./coded-text.ts";
import rules from "./job-rules.schema.json";

interface PropertySchema {
  type?: string | string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  anyOf?: PropertySchema[];
  errorMessage?: Record<string, string>;
  /** A keyword's own code where the server gives it one (e.g. the id's pattern: JOB_ID_FORMAT). */
  errorCode?: Record<string, string>;
}

export interface FieldRule {
  /** Must be given (it cannot be left empty). */
  required: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: RegExp;
  /** The server's message for each rule (keyword: minLength, maxLength, pattern, type, minimum, maximum, format). */
  messages: Record<string, string>;
  codes: Record<string, string>;
}

const properties = rules.properties as Record<string, PropertySchema>;
const acceptsNull = (s: PropertySchema) => s.type === "null" || (Array.isArray(s.type) && s.type.includes("null")) || (s.anyOf ?? []).some(acceptsNull);

/** The rule of one job field, or undefined for a field the rules do not describe. */
export function fieldRule(field: string): FieldRule | undefined {
  const schema = properties[field];
  if (!schema) return undefined;
  // A nullable field is `anyOf: [rule, null]`: the constraints are the non-null branch's.
  const rule = (schema.anyOf ?? []).find((s) => s.type !== "null") ?? schema;
  return {
    required: rules.required.includes(field) && !acceptsNull(schema) && (rule.minLength ?? 0) > 0,
    minLength: rule.minLength,
    maxLength: rule.maxLength,
    minimum: rule.minimum,
    maximum: rule.maximum,
    pattern: rule.pattern === undefined ? undefined : new RegExp(rule.pattern, "u"),
    messages: { ...schema.errorMessage, ...rule.errorMessage },
    codes: { ...schema.errorCode, ...rule.errorCode },
  };
}

/** The code and parameters the server gives a keyword's refusal (errors.ts issueCode: the same names). */
function codeOf(rule: FieldRule, keyword: string): Pick<FieldProblem, "code" | "params"> {
  const own = rule.codes[keyword];
  if (own) return { code: own };
  switch (keyword) {
    case "minLength":
      return (rule.minLength ?? 0) <= 1 ? { code: "REQUIRED" } : { code: "TOO_SHORT", params: { min: rule.minLength! } };
    case "maxLength":
      return { code: "TOO_LONG", params: { max: rule.maxLength! } };
    case "type":
      return { code: "NOT_WHOLE_NUMBER" };
    case "minimum":
      return { code: "TOO_SMALL", params: { min: rule.minimum! } };
    case "maximum":
      return { code: "TOO_BIG", params: { max: rule.maximum! } };
    default:
      return { code: "INVALID_FORMAT", params: { format: keyword } };
  }
}

/**
 * The server's refusal of a value its rules refuse (code, parameters and its English message), or
 * null. Text: length and pattern; numbers: whole and within range. Empty optional fields are not
 * checked (empty means none).
 */
export function ruleIssue(field: string, value: string | number | null): FieldProblem | null {
  const rule = fieldRule(field);
  if (!rule) return null;
  const refuse = (keyword: string): FieldProblem => ({ field, message: rule.messages[keyword] ?? `${field}: ${keyword}`, ...codeOf(rule, keyword) });
  if (value === null || value === "") return rule.required ? refuse("minLength") : null;
  if (typeof value === "string") {
    if (rule.minLength !== undefined && value.length < rule.minLength) return refuse("minLength");
    if (rule.maxLength !== undefined && value.length > rule.maxLength) return refuse("maxLength");
    if (rule.pattern && !rule.pattern.test(value)) return refuse("pattern");
    return null;
  }
  if (!Number.isInteger(value)) return refuse("type");
  if (rule.minimum !== undefined && value < rule.minimum) return refuse("minimum");
  if (rule.maximum !== undefined && value > rule.maximum) return refuse("maximum");
  return null;
}

/** The same in the chosen language (the server's English message when the catalogue lacks its code). */
export function ruleProblem(field: string, value: string | number | null): string | null {
  const issue = ruleIssue(field, value);
  return issue && fieldErrorText(issue);
}

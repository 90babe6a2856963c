/**
 * The server's job rules, for the editor's hints: limits, required fields and messages come from
 * job-rules.schema.json, which `npm run schema:print` generates from the zod schema the API and
 * `jobs import` check with (server/src/graphql/job-input/job-rules.ts). What JSON Schema cannot
 * say (cron syntax, zones, the handler) stays the server's and comes back as field errors.
 */
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
  };
}

/**
 * The server's message for a value its rules refuse, or null. Text: length and pattern; numbers:
 * whole and within range. Empty optional fields are not checked (empty means none).
 */
export function ruleProblem(field: string, value: string | number | null): string | null {
  const rule = fieldRule(field);
  if (!rule || value === null || value === "") return rule?.required ? (rule.messages.minLength ?? null) : null;
  const say = (keyword: string) => rule.messages[keyword] ?? `${field}: ${keyword}`;
  if (typeof value === "string") {
    if (rule.minLength !== undefined && value.length < rule.minLength) return say("minLength");
    if (rule.maxLength !== undefined && value.length > rule.maxLength) return say("maxLength");
    if (rule.pattern && !rule.pattern.test(value)) return say("pattern");
    return null;
  }
  if (!Number.isInteger(value)) return say("type");
  if (rule.minimum !== undefined && value < rule.minimum) return say("minimum");
  if (rule.maximum !== undefined && value > rule.maximum) return say("maximum");
  return null;
}

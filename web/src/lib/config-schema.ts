// A handler's params / secrets JSON Schema (zod → JSON Schema on the server) as form fields.

export type ConfigFieldKind = "string" | "integer" | "number" | "boolean" | "enum" | "json";

export interface ConfigFieldSpec {
  key: string;
  kind: ConfigFieldKind;
  required: boolean;
  /** English description (`description`), and others by locale (`x-descriptions`). */
  description: string | null;
  descriptions: Record<string, string>;
  default: unknown;
  options: unknown[];
}

type Schema = Record<string, unknown>;

function kindOf(node: Schema): ConfigFieldKind {
  if (Array.isArray(node.enum) && node.enum.length) return "enum";
  if (node.const !== undefined) return "enum";
  switch (node.type) {
    case "string":
      return "string";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    default:
      return "json";
  }
}

/** The top-level properties of an object schema, in schema order; [] for anything else. */
export function schemaFields(schema: unknown): ConfigFieldSpec[] {
  if (!schema || typeof schema !== "object") return [];
  const s = schema as Schema;
  const properties = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  return Object.entries(properties).map(([key, node]) => ({
    key,
    kind: kindOf(node ?? {}),
    required: required.has(key),
    description: typeof node?.description === "string" ? node.description : null,
    descriptions: node?.["x-descriptions"] && typeof node["x-descriptions"] === "object" ? (node["x-descriptions"] as Record<string, string>) : {},
    default: node?.default,
    options: Array.isArray(node?.enum) ? (node.enum as unknown[]) : node?.const !== undefined ? [node.const] : [],
  }));
}

/** The description in `locale`, else the English one. */
export function localizedText(english: string | null | undefined, others: unknown, locale: string): string | null {
  const own = others && typeof others === "object" ? (others as Record<string, unknown>)[locale] : undefined;
  return typeof own === "string" && own ? own : (english ?? null);
}

/** A field's value as its input shows it. */
export function fieldText(spec: ConfigFieldSpec, value: unknown): string {
  if (value === undefined) return "";
  if (spec.kind === "string" && typeof value === "string") return value;
  if ((spec.kind === "integer" || spec.kind === "number") && typeof value === "number") return String(value);
  if (spec.kind === "integer" || spec.kind === "number" || spec.kind === "string") return typeof value === "string" ? value : JSON.stringify(value);
  if (spec.kind === "boolean") return value === true ? "true" : value === false ? "false" : JSON.stringify(value);
  if (spec.kind === "enum") return JSON.stringify(value);
  return JSON.stringify(value, null, 2);
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * The value typed into a field's input: `undefined` removes the key (an empty input), `invalid`
 * for JSON that does not parse (the key keeps its value until it does). A number that is not one
 * yet stays text, so the live schema check says what is wrong instead of the input losing it.
 */
export function parseFieldText(spec: ConfigFieldSpec, text: string): { value: unknown } | "invalid" {
  if (text.trim() === "") return { value: undefined };
  switch (spec.kind) {
    case "string":
      return { value: text };
    case "integer":
    case "number":
      return { value: NUMBER.test(text.trim()) ? Number(text.trim()) : text };
    case "boolean":
      return { value: text === "true" };
    case "enum":
    case "json":
      try {
        return { value: JSON.parse(text) };
      } catch {
        return "invalid";
      }
  }
}

/** `config` with `key` set to `value` (removed when undefined), keeping the other keys and their order. */
export function withField(config: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const next = { ...config };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

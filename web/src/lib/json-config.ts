import { Validator, type OutputUnit } from "@cfworker/json-schema";
import { t } from "../stores/i18n.ts";

export interface ConfigProblem {
  /** JSON-pointer-ish location in the config ("" is the whole object, "/name" a key). */
  path: string;
  message: string;
}

export type ParsedConfig = { ok: true; value: Record<string, unknown> } | { ok: false; problem: ConfigProblem };

/** Parses editor text as the JSON object a job's config must be; empty text is `{}`. */
export function parseConfigObject(text: string): ParsedConfig {
  if (text.trim() === "") return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: { path: "", message: t("json.syntax", { detail: (error as Error).message }) } };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, problem: { path: "", message: t("json.notObject") } };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

// Wrapper keywords only say "a child failed"; the child's own error says what is wrong.
const WRAPPERS = new Set(["properties", "items", "prefixItems", "allOf", "$ref", "additionalProperties", "unevaluatedProperties"]);

function quoted(error: string): string {
  return /"([^"]+)"/.exec(error)?.[1] ?? "";
}

function describe(unit: OutputUnit, schemaAt: (path: string) => Record<string, unknown> | undefined): string {
  const path = unit.instanceLocation.replace(/^#/, "");
  const node = schemaAt(unit.keywordLocation.replace(/^#/, "").replace(/\/[^/]+$/, ""));
  switch (unit.keyword) {
    case "required":
      return t("json.required", { key: quoted(unit.error) });
    case "type":
      return t("json.type", { expected: String(node?.type ?? quoted(unit.error.split("Expected")[1] ?? "")) });
    case "enum":
      return t("json.enum", { options: JSON.stringify(node?.enum ?? []) });
    case "minLength":
      return t("json.minLength", { n: String(node?.minLength ?? "") });
    case "false":
      return t("json.unknownKey", { key: path.split("/").pop() ?? "" });
    default:
      return unit.error;
  }
}

export type SchemaChecker = (value: Record<string, unknown>) => ConfigProblem[];

/**
 * A checker for one handler's JSON schema; problems in plain language, one per field. The schema is
 * copied first: the validator annotates the object it is given, and query results are read-only.
 */
export function createSchemaChecker(schemaInput: unknown): SchemaChecker {
  if (!schemaInput || typeof schemaInput !== "object") return () => [];
  const schema = JSON.parse(JSON.stringify(schemaInput)) as Record<string, unknown>;
  const validator = new Validator(schema, "2020-12", false);
  return (value) => problemsOf(schema, validator.validate(value));
}

/** One-off check (tests, single use); prefer createSchemaChecker while typing. */
export function checkAgainstSchema(schema: unknown, value: Record<string, unknown>): ConfigProblem[] {
  return createSchemaChecker(schema)(value);
}

function problemsOf(schema: Record<string, unknown>, result: ReturnType<Validator["validate"]>): ConfigProblem[] {
  if (result.valid) return [];
  const schemaAt = (pointer: string) => {
    let node: unknown = schema;
    for (const part of pointer.split("/").filter(Boolean)) node = (node as Record<string, unknown> | undefined)?.[part];
    return node as Record<string, unknown> | undefined;
  };
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const unit of result.errors) {
    if (WRAPPERS.has(unit.keyword)) continue;
    const path = unit.keyword === "required" ? `/${quoted(unit.error)}` : unit.instanceLocation.replace(/^#/, "");
    const message = describe(unit, schemaAt);
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, message });
  }
  return problems;
}

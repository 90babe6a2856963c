import type { ZodType } from "zod";
import { issueCode } from "../validation/issue-codes.ts";
import { HandlerPathError, type FieldError } from "./handler-errors.ts";
import { resolveHandler } from "./handler-registry.ts";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Checks a config against a schema. Messages are zod's, which describe the expectation and never
 * echo the input — important for secrets. Each problem has the stable code and parameters the
 * API's own rules give (issueCode), so a client words a handler's schema in its own language.
 */
export function schemaErrors(schema: ZodType | undefined, value: unknown, field: string): FieldError[] {
  if (!isPlainObject(value)) return [{ field, message: "must be a JSON object, e.g. {\"key\": \"value\"}", code: "NOT_AN_OBJECT" }];
  if (!schema) return [];
  const parsed = schema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const { code, params } = issueCode(issue);
    return {
      field: [field, ...issue.path.map(String)].join("."),
      message: issue.message,
      ...(code ? { code } : {}),
      ...(params && Object.keys(params).length ? { params } : {}),
    };
  });
}

/**
 * What is wrong with a job definition's handler and configs, field by field (empty = valid).
 * `secrets` is the decrypted secret config when the operator is setting one; omit it to leave
 * secrets unchecked (an edit that keeps the stored secret).
 */
export async function validateHandlerConfig(handlerPath: string, publicCfg: unknown, secrets?: unknown): Promise<FieldError[]> {
  let cls;
  try {
    cls = await resolveHandler(handlerPath);
  } catch (error) {
    if (error instanceof HandlerPathError) return [{ field: "handlerPath", message: error.message, code: error.reason, params: { handlerPath, ...error.params } }];
    throw error;
  }
  const errors = schemaErrors(cls.paramsSchema, publicCfg, "publicCfg");
  if (secrets !== undefined) errors.push(...schemaErrors(cls.secretsSchema, secrets, "secretCfg"));
  return errors;
}

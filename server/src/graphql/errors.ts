import { GraphQLError } from "graphql";

export type ErrorParams = Record<string, string | number>;

export interface FieldError {
  field: string;
  message: string;
  /** Stable code of the problem, for clients that show it in their own words (message is the fallback). */
  code?: string;
  params?: ErrorParams;
}

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

/**
 * Validation issues (zod's, or any standard schema's) as field errors: the path joined with dots
 * ("webhookSecret.password"), without its first `skip` parts (the argument's name, for the API),
 * with a stable code and parameters where the issue gives one (issueCode).
 */
export function fieldErrorsOf(issues: ReadonlyArray<CodedIssue>, skip = 0): FieldError[] {
  return issues.map((issue) => {
    const { code, params } = issueCode(issue);
    return {
      field: (issue.path ?? [])
        .slice(skip)
        .map((part) => String(typeof part === "object" ? part.key : part))
        .join("."),
      message: issue.message,
      ...(code ? { code } : {}),
      ...(params && Object.keys(params).length ? { params } : {}),
    };
  });
}

/** Base of the errors returned as typed union members (`... on Error { code message params }`). */
export abstract class ApiError extends Error {
  abstract readonly code: string;
  /** The values the message names (ids, statuses), so a client can word it in its own language. */
  params: ErrorParams = {};
}

export class NotFoundError extends ApiError {
  override readonly name = "NotFoundError";
  readonly code = "NOT_FOUND";
  constructor(what: "Job" | "JobLog" | "ApiToken" | "User", id: string | number) {
    super(`${what} ${JSON.stringify(id)} does not exist.`);
    this.params = { what, id };
  }
}

/** Nothing was written: each entry names the input field and what is wrong with it. */
export class ValidationError extends ApiError {
  override readonly name = "ValidationError";
  readonly code = "VALIDATION_FAILED";
  readonly fieldErrors: FieldError[];
  constructor(fieldErrors: FieldError[]) {
    super(`Nothing was saved: ${fieldErrors.map((e) => `${e.field}: ${e.message}`).join("; ")}`);
    this.fieldErrors = fieldErrors;
  }
}

/** The action cannot be done in the run's or job's current state (retry while RUNNING, …). */
export class ActionRefusedError extends ApiError {
  override readonly name = "ActionRefusedError";
  readonly code: string;
  constructor(
    code: string,
    message: string,
    params: ErrorParams = {},
  ) {
    super(message);
    this.code = code;
    this.params = params;
  }
}

/** A trigger preview for a trigger that cannot be scheduled. */
export class TriggerInvalidError extends ApiError {
  override readonly name = "TriggerInvalidError";
  readonly code = "TRIGGER_INVALID";
  readonly field: string;
  /** `params.reason` is the problem's own code (CRON_INVALID, …), worded like a field error's code. */
  constructor(
    field: string,
    message: string,
    reason?: string,
    params: ErrorParams = {},
  ) {
    super(message);
    this.field = field;
    this.params = reason ? { ...params, reason } : params;
  }
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "FORBIDDEN" } });
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

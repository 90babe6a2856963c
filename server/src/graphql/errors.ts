import { GraphQLError } from "graphql";
import { issueCode, type CodedIssue, type ErrorParams } from "../validation/issue-codes.ts";

export { issueCode, type CodedIssue, type ErrorParams };

export interface FieldError {
  field: string;
  message: string;
  /** Stable code of the problem, for clients that show it in their own words (message is the fallback). */
  code?: string;
  params?: ErrorParams;
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

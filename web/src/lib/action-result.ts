import type { CombinedError, OperationResult } from "@urql/core";

export interface FieldProblem {
  field: string;
  message: string;
}

/** A mutation the server refused or could not do; `fieldErrors` point at the inputs to fix. */
export class ActionFailedError extends Error {
  override name = "ActionFailedError";
  constructor(
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldProblem[] = [],
  ) {
    super(message);
  }
}

function fromCombined(error: CombinedError): ActionFailedError {
  const first = error.graphQLErrors[0];
  if (first) return new ActionFailedError(String(first.extensions?.code ?? "GRAPHQL_ERROR"), first.message);
  return new ActionFailedError("NETWORK", error.networkError?.message ?? error.message);
}

/**
 * The payload of `field` in a mutation result. Expected failures come back as members of the
 * field's union that carry `code`/`message` (and `fieldErrors` for validation); they are thrown.
 */
export function unwrapPayload<T>(result: OperationResult<Record<string, unknown> | undefined>, field: string): T {
  if (result.error) throw fromCombined(result.error);
  const payload = result.data?.[field] as Record<string, unknown> | null | undefined;
  if (payload && typeof payload === "object" && typeof payload.code === "string" && typeof payload.message === "string") {
    throw new ActionFailedError(payload.code, payload.message, (payload.fieldErrors as FieldProblem[] | undefined) ?? []);
  }
  if (payload && typeof payload === "object" && "data" in payload) return payload.data as T;
  return payload as T;
}

/** A user-facing description of any error thrown by an action. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

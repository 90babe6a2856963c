import type { CombinedError, OperationResult } from "@urql/core";
import { codedErrorText } from "./coded-text.ts";

export interface FieldProblem {
  field: string;
  message: string;
  /** Stable code of the problem (the message is the server's fallback wording). */
  code?: string | null;
  params?: unknown;
}

/** A mutation the server refused or could not do; `fieldErrors` point at the inputs to fix. */
export class ActionFailedError extends Error {
  override name = "ActionFailedError";
  constructor(
    readonly code: string,
    message: string,
    readonly fieldErrors: FieldProblem[] = [],
    readonly params: unknown = null,
  ) {
    super(message);
  }
}

function fromCombined(error: CombinedError): ActionFailedError {
  const first = error.graphQLErrors[0];
  if (first) return new ActionFailedError(String(first.extensions?.code ?? "GRAPHQL_ERROR"), first.message, [], first.extensions?.params ?? null);
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
    throw new ActionFailedError(payload.code, payload.message, (payload.fieldErrors as FieldProblem[] | undefined) ?? [], payload.params ?? null);
  }
  if (payload && typeof payload === "object" && "data" in payload) return payload.data as T;
  return payload as T;
}

/**
 * A user-facing description of any error thrown by an action, in the chosen language when its
 * code is in the catalogue. Call it while rendering (e.g. `toast("error", () => errorMessage(e))`)
 * so it follows a language switch.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ActionFailedError) return codedErrorText(error.code, error.message, error.params);
  return error instanceof Error ? error.message : String(error);
}

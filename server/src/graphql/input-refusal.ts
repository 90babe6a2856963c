import type { StandardSchemaV1 } from "@pothos/plugin-validation";
import { callerScopes } from "./auth-scopes.ts";
import type { GraphQLContext } from "./context.ts";
import { fieldErrorsOf, forbidden, ValidationError } from "./errors.ts";

/**
 * The scope a caller needs to hear why arguments were refused. @pothos/plugin-validation checks
 * arguments before scope-auth runs, and does not tell this hook which field failed; every input
 * with a `validate` schema belongs to an admin-only mutation (createJob, updateJob), which
 * input-refusal.test.ts keeps true for every validated input in the schema.
 */
export const VALIDATED_INPUT_SCOPE = "admin";

/**
 * What a caller hears when plugin-validation refuses arguments: FORBIDDEN for a caller who may
 * not use the field (as with valid arguments: nothing is learnt about the input), else the typed
 * ValidationError (code VALIDATION_FAILED) with each issue's path below the argument
 * ("input.cronExpr" → "cronExpr").
 */
export function inputRefusal(failure: StandardSchemaV1.FailureResult, ctx: GraphQLContext): Error {
  if (!callerScopes(ctx)[VALIDATED_INPUT_SCOPE]) {
    return forbidden(ctx.principal ? `Your role ${ctx.principal.role} may not use this mutation; ask an admin for a role that can.` : "Authentication required.");
  }
  return new ValidationError(fieldErrorsOf(failure.issues, 1));
}

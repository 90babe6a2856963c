import { hasRole } from "../security/auth/principal.ts";
import type { GraphQLContext } from "./context.ts";

export type Scopes = { viewer: boolean; operator: boolean; admin: boolean };

/** The scopes a caller holds: scope-auth's map (builder.ts), and the gate on refused input (input-refusal.ts). */
export function callerScopes(ctx: GraphQLContext): Scopes {
  return {
    viewer: hasRole(ctx.principal, "VIEWER"),
    operator: hasRole(ctx.principal, "OPERATOR"),
    admin: hasRole(ctx.principal, "ADMIN"),
  };
}

import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import ValidationPlugin from "@pothos/plugin-validation";
import type PrismaTypes from "../generated/pothos-prisma-types.ts";
import { getDatamodel } from "../generated/pothos-prisma-types.ts";
import { hasRole } from "../security/auth/principal.ts";
import type { GraphQLContext } from "./context.ts";
import { fieldErrorsOf, forbidden, ValidationError } from "./errors.ts";

export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: { viewer: boolean; operator: boolean; admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ErrorsPlugin, ValidationPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      viewer: hasRole(ctx.principal, "VIEWER"),
      operator: hasRole(ctx.principal, "OPERATOR"),
      admin: hasRole(ctx.principal, "ADMIN"),
    }),
    unauthorizedError: (_parent, ctx, info) =>
      ctx.principal
        ? forbidden(`Your role ${ctx.principal.role} may not use ${info.parentType.name}.${info.fieldName}; ask an admin for a role that can.`)
        : forbidden("Authentication required."),
  },
  prisma: {
    // One schema serves every runtime (tests start several apps in one process).
    client: (ctx) => ctx.runtime.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    maxConnectionSize: MAX_PAGE_SIZE,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    onUnusedQuery: process.env.NODE_ENV === "production" ? null : "warn",
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  errors: { defaultTypes: [] },
  // The plugin checks arguments before scope-auth and outside the resolver (so outside `audited`):
  // a schema that refuses there answers before FORBIDDEN and leaves no audit record. The job rules
  // therefore hand their verdict to the resolver as data (job-input/input-rules.ts); a schema that
  // does refuse still answers with the typed ValidationError, path below the argument's name.
  validation: { validationError: (failure) => new ValidationError(fieldErrorsOf(failure.issues, 1)) },
});

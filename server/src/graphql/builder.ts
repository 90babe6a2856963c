import SchemaBuilder from "@pothos/core";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import ValidationPlugin from "@pothos/plugin-validation";
import type PrismaTypes from "../generated/pothos-prisma-types.ts";
import { getDatamodel } from "../generated/pothos-prisma-types.ts";
import { callerScopes } from "./auth-scopes.ts";
import type { GraphQLContext } from "./context.ts";
import { forbidden } from "./errors.ts";
import { inputRefusal } from "./input-refusal.ts";

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
  // Errors before Validation: a refused input comes back as the field's typed ValidationError.
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ErrorsPlugin, ValidationPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: callerScopes,
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
  // unsafelyHandleInputErrors: validation runs before scope-auth; inputRefusal answers FORBIDDEN
  // to callers who may not use the field, so only they learn nothing about their input.
  errors: { defaultTypes: [], unsafelyHandleInputErrors: true },
  validation: { validationError: (failure, _args, ctx) => inputRefusal(failure, ctx) },
});

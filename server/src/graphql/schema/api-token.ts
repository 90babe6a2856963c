import type { ApiToken } from "../../generated/prisma/client.ts";
import { audited } from "../audited.ts";
import { listApiTokens } from "../../security/auth/index.ts";
import { createToken, revokeToken } from "../account-service.ts";
import { builder } from "../builder.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { RoleEnum } from "./enums.ts";

type ApiTokenRecord = Omit<ApiToken, "tokenHash">;

const ADMIN = { admin: true } as const;

export const ApiTokenRef = builder.objectRef<ApiTokenRecord>("ApiToken").implement({
  description: "An API client's credential. The token itself is shown once, by createApiToken; only its first characters are kept readable.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    prefix: t.exposeString("prefix", { description: "The token's first characters, to recognise it." }),
    role: t.field({ type: RoleEnum, resolve: (r) => r.role }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    lastUsedAt: t.expose("lastUsedAt", { type: "DateTime", nullable: true, description: "Recorded to the minute." }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true, description: "Null: valid until revoked." }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
    active: t.boolean({ description: "Neither revoked nor expired.", resolve: (r) => !r.revokedAt && !(r.expiresAt && r.expiresAt.getTime() <= Date.now()) }),
  }),
});

const CreateApiTokenInput = builder.inputType("CreateApiTokenInput", {
  fields: (t) => ({
    name: t.string({ required: true, description: "Who or what uses it, e.g. `ci` or `oa-sync`." }),
    role: t.field({ type: RoleEnum, required: true }),
    expiresAt: t.field({ type: "DateTime", required: false, description: "When it stops working; omit for a token that lasts until revoked." }),
  }),
});

const CreateApiTokenPayload = builder.objectRef<{ token: string; apiToken: ApiTokenRecord }>("CreateApiTokenPayload").implement({
  fields: (t) => ({
    token: t.exposeString("token", { description: "Send as `Authorization: Bearer <token>`. Shown only here: it cannot be read again." }),
    apiToken: t.field({ type: ApiTokenRef, resolve: (p) => p.apiToken }),
  }),
});

builder.queryFields((t) => ({
  apiTokens: t.field({
    type: [ApiTokenRef],
    authScopes: ADMIN,
    args: { includeRevoked: t.arg.boolean({ required: false, defaultValue: false }) },
    resolve: (_root, { includeRevoked }, ctx) => listApiTokens(ctx.runtime.prisma, includeRevoked ?? false),
  }),
}));

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: CreateApiTokenPayload,
    authScopes: ADMIN,
    description: "Creates a token and returns it once.",
    // The payload is itself the union member (no `...Success { data }` wrapper): the token and
    // its record are one answer, and clients read `... on CreateApiTokenPayload { token apiToken { id } }`.
    errors: { types: [ValidationError], directResult: true },
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      audited(ctx, { action: "token.create", target: { type: "ApiToken", id: input.name }, detail: (r) => ({ id: r.apiToken.id, role: r.apiToken.role }) }, () => createToken(ctx.runtime, input)),
  }),
  revokeApiToken: t.field({
    type: ApiTokenRef,
    authScopes: ADMIN,
    description: "Ends the token at once: its next request is refused.",
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => audited(ctx, { action: "token.revoke", target: { type: "ApiToken", id } }, () => revokeToken(ctx.runtime, id)),
  }),
}));

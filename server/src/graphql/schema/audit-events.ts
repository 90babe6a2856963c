import type { Prisma } from "../../generated/prisma/client.ts";
import { builder } from "../builder.ts";

const AuditEventRef = builder.prismaObject("AuditEvent", {
  description: "One state-changing action: who, when, from where, what, and how it ended. Append-only.",
  fields: (t) => ({
    id: t.string({ resolve: (e) => String(e.id) }),
    at: t.expose("at", { type: "DateTime" }),
    actorKind: t.exposeString("actorKind", { description: "USER, API_TOKEN, CLI or SYSTEM." }),
    actor: t.exposeString("actor", { description: "Username, token name, cli or system." }),
    action: t.exposeString("action", { description: "e.g. job.create, job.update, run.now, token.revoke, auth.login." }),
    targetType: t.exposeString("targetType", { nullable: true }),
    targetId: t.exposeString("targetId", { nullable: true }),
    outcome: t.exposeString("outcome", { description: "SUCCESS or FAILURE." }),
    detail: t.expose("detail", { type: "JSON", nullable: true, description: "What changed; secrets appear only as changed, with their key names." }),
    address: t.exposeString("address", { nullable: true }),
    userAgent: t.exposeString("userAgent", { nullable: true }),
    traceId: t.exposeString("traceId", { nullable: true, description: "The trace id of the run the action started or touched." }),
  }),
});

const AuditEventFilter = builder.inputType("AuditEventFilter", {
  fields: (t) => ({
    action: t.stringList({ required: false, description: "Any of these actions." }),
    actor: t.string({ required: false }),
    actorKind: t.string({ required: false }),
    targetType: t.string({ required: false }),
    targetId: t.string({ required: false }),
    outcome: t.string({ required: false }),
    from: t.field({ type: "DateTime", required: false, description: "At or after this instant." }),
    before: t.field({ type: "DateTime", required: false, description: "Before this instant." }),
  }),
});

type Filter = typeof AuditEventFilter.$inferInput;

export function auditWhere(filter: Filter | null | undefined): Prisma.AuditEventWhereInput {
  if (!filter) return {};
  return {
    ...(filter.action?.length ? { action: { in: filter.action } } : {}),
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(filter.actorKind ? { actorKind: filter.actorKind } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
    ...(filter.from || filter.before ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.before ? { lt: filter.before } : {}) } } : {}),
  };
}

builder.queryFields((t) => ({
  auditEvents: t.prismaConnection(
    {
      type: "AuditEvent",
      cursor: "id",
      authScopes: { admin: true },
      description: "The audit log, newest first (admin role).",
      args: { filter: t.arg({ type: AuditEventFilter, required: false }) },
      resolve: (query, _root, args, ctx) => ctx.runtime.prisma.auditEvent.findMany({ ...query, where: auditWhere(args.filter), orderBy: { id: "desc" } }),
      totalCount: (_conn, args, ctx) => ctx.runtime.prisma.auditEvent.count({ where: auditWhere(args.filter) }),
    },
    { name: "AuditEventConnection" },
    { name: "AuditEventEdge" },
  ),
}));

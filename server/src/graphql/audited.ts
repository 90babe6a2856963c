import { recordAudit, type AuditAction, type AuditActor, type AuditEntry } from "../audit/index.ts";
import type { GraphQLContext } from "./context.ts";

/** The audit log's actor for a GraphQL caller: who (user or token name) and from where. */
export function actorOf(ctx: GraphQLContext): AuditActor {
  return {
    kind: ctx.principal?.kind ?? "SYSTEM",
    name: ctx.principal?.name ?? "anonymous",
    address: ctx.client?.address ?? null,
    userAgent: ctx.client?.userAgent ?? null,
  };
}

interface Audited<T> {
  action: AuditAction;
  target: { type: string; id: string | number };
  /** The detail to record once the action succeeded (a diff, counts); never a secret value. */
  detail?: (result: T) => Record<string, unknown> | null;
  /** The run the action produced or touched, linking the request to its trace. */
  traceId?: (result: T) => string | null | undefined;
}

/**
 * Runs a state-changing action and records it in the audit log with its outcome. A refused or
 * failed action is recorded as FAILURE with the error's stable code, then rethrown.
 */
export async function audited<T>(ctx: GraphQLContext, spec: Audited<T>, work: () => Promise<T>): Promise<T> {
  const actor = actorOf(ctx);
  const result = await recordingFailure(ctx, actor, spec, work);
  await recordAudit(ctx.runtime.prisma, {
    actor,
    action: spec.action,
    target: spec.target,
    outcome: "SUCCESS",
    detail: spec.detail?.(result) ?? null,
    traceId: spec.traceId?.(result) ?? null,
  });
  return result;
}

/**
 * As `audited`, for an action that stores its SUCCESS event with its own writes (Run Now: in the
 * run's statement, so the row exists exactly when the run does and costs no round trip of its
 * own): `work` gets that event; a refused or failed action is recorded here as FAILURE.
 */
export function auditedWith<T>(ctx: GraphQLContext, spec: Pick<Audited<T>, "action" | "target">, work: (success: AuditEntry) => Promise<T>): Promise<T> {
  const actor = actorOf(ctx);
  return recordingFailure(ctx, actor, spec, () => work({ actor, action: spec.action, target: spec.target, outcome: "SUCCESS" }));
}

async function recordingFailure<T>(ctx: GraphQLContext, actor: AuditActor, spec: Pick<Audited<T>, "action" | "target">, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as { code?: string })?.code ?? "INTERNAL";
    // Field names only: a validation message may quote the refused (possibly secret) value.
    const fields = (error as { fieldErrors?: Array<{ field: string }> })?.fieldErrors?.map((e) => e.field);
    await recordAudit(ctx.runtime.prisma, { actor, action: spec.action, target: spec.target, outcome: "FAILURE", detail: { error: code, ...(fields ? { fields } : {}) } });
    throw error;
  }
}

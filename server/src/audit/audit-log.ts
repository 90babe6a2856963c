import type { Prisma } from "../db/prisma.ts";
import { createPrisma } from "../db/prisma.ts";
import type { Prisma as PrismaNs } from "../generated/prisma/client.ts";
import type { AuditEntry } from "./audit-event.ts";
import { appendAuditRow } from "./audit-writer.ts";

const MAX_USER_AGENT = 300;

let enabled = true;

/** AUDIT_ENABLED=false: recordAudit writes nothing in this process (set at start from the config). */
export function configureAudit(options: { enabled: boolean }): void {
  enabled = options.enabled;
}

/**
 * The row of an audit event, for an action that stores it with its own writes (Run Now: in the
 * run's statement, runs/create-and-hand-over.ts); null when auditing is off in this process.
 */
export function auditRowOf(entry: AuditEntry): PrismaNs.AuditEventCreateManyInput | null {
  return enabled ? row(entry) : null;
}

function row(entry: AuditEntry): PrismaNs.AuditEventCreateManyInput {
  return {
    actorKind: entry.actor.kind,
    actor: entry.actor.name,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target ? String(entry.target.id) : null,
    outcome: entry.outcome,
    detail: (entry.detail ?? undefined) as PrismaNs.InputJsonObject | undefined,
    address: entry.actor.address ?? null,
    userAgent: entry.actor.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
    traceId: entry.traceId ?? null,
  };
}

/**
 * Appends one audit event (with auditRowOf, the only source of `audit_events` rows, which are never
 * updated). The action
 * has already happened when this runs: a failed write is logged, never turned into the action's
 * failure.
 */
export async function recordAudit(prisma: Prisma, entry: AuditEntry): Promise<void> {
  if (!enabled) return;
  // Batched with concurrent events of this client (see audit-writer.ts); never throws.
  await appendAuditRow(prisma, row(entry), entry);
}

/** For one-shot CLI commands that hold only a database URL (backup, restore, import). */
export async function recordAuditAt(databaseUrl: string, entry: AuditEntry): Promise<void> {
  const prisma = createPrisma(databaseUrl, 1);
  try {
    await recordAudit(prisma, entry);
  } finally {
    await prisma.$disconnect();
  }
}

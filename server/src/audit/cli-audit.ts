import type { Prisma } from "../db/prisma.ts";
import { CLI_ACTOR, type AuditAction, type AuditEntry } from "./audit-event.ts";
import { recordAudit, recordAuditAt } from "./audit-log.ts";

function write(db: Prisma | string, entry: AuditEntry): Promise<void> {
  return typeof db === "string" ? recordAuditAt(db, entry) : recordAudit(db, entry);
}

/**
 * Runs an operator CLI action and records it (actor `cli`) with its outcome; a failure is
 * recorded with its error code and rethrown. `db`: a Prisma client or the database URL.
 */
export async function cliAudited<T>(
  db: Prisma | string,
  action: AuditAction,
  target: { type: string; id: string | number } | null,
  work: () => Promise<T>,
  detail?: (result: T) => Record<string, unknown>,
): Promise<T> {
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await write(db, { actor: CLI_ACTOR, action, target, outcome: "FAILURE", detail: { error: (error as { code?: string })?.code ?? "INTERNAL" } });
    throw error;
  }
  await write(db, { actor: CLI_ACTOR, action, target, outcome: "SUCCESS", detail: detail?.(result) ?? null });
  return result;
}

/** Who did something: a logged-in user, an API token, the operator CLI, or ConnectHub itself. */
export interface AuditActor {
  kind: "USER" | "API_TOKEN" | "CLI" | "SYSTEM";
  /** Username, token name, "cli" or "system". */
  name: string;
  address?: string | null;
  userAgent?: string | null;
}

export type AuditOutcome = "SUCCESS" | "FAILURE";

/** The actions recorded, by area. A stable vocabulary: exports and filters depend on it. */
export type AuditAction =
  | "job.create"
  | "job.update"
  | "job.enable"
  | "job.disable"
  | "job.delete"
  | "job.purge_logs"
  | "run.now"
  | "run.retry"
  | "run.cancel"
  | "runs.retention_purge"
  | "token.create"
  | "token.revoke"
  | "user.create"
  | "user.update"
  | "auth.login"
  | "cli.backup"
  | "cli.restore"
  | "cli.import"
  | "audit.retention_purge";

export interface AuditEntry {
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string | number } | null;
  outcome: AuditOutcome;
  /** What changed. Never a secret value: secrets appear only as "changed" and their key names. */
  detail?: Record<string, unknown> | null;
  traceId?: string | null;
}

export const CLI_ACTOR: AuditActor = { kind: "CLI", name: "cli" };
export const SYSTEM_ACTOR: AuditActor = { kind: "SYSTEM", name: "system" };

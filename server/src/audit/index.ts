export { CLI_ACTOR, SYSTEM_ACTOR, type AuditAction, type AuditActor, type AuditEntry, type AuditOutcome } from "./audit-event.ts";
export { auditRowOf, configureAudit, recordAudit, recordAuditAt } from "./audit-log.ts";
export { jobCreated, jobDiff, type SecretInputs } from "./job-diff.ts";
export { cliAudited } from "./cli-audit.ts";
export { auditJsonLines, parseSince } from "./audit-export.ts";

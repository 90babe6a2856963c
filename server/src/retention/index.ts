import type { Config } from "../config/config.ts";
import type { RetentionPolicy } from "./run-retention.ts";

export { applyRetention, type RetentionPolicy, type RetentionResult } from "./run-retention.ts";

export function retentionPolicy(config: Config): RetentionPolicy {
  return { runRetentionDays: config.RUN_RETENTION_DAYS, auditRetentionDays: config.AUDIT_RETENTION_DAYS };
}

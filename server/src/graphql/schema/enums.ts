import { JobStatus, Role, RunTrigger, TriggerType, WebhookFormat, WebhookWhen } from "../../generated/prisma/enums.ts";
import { builder } from "../builder.ts";

export const JobStatusEnum = builder.enumType(JobStatus, { name: "JobStatus", description: "QUEUED → RUNNING → SUCCESS | FAILURE | CANCELLED | ABANDONED (worker died)." });
export const RunTriggerEnum = builder.enumType(RunTrigger, { name: "RunTrigger", description: "Why a run happened." });
export const TriggerTypeEnum = builder.enumType(TriggerType, { name: "TriggerType" });
export const WebhookFormatEnum = builder.enumType(WebhookFormat, { name: "WebhookFormat" });
export const WebhookWhenEnum = builder.enumType(WebhookWhen, { name: "WebhookWhen" });
export const RoleEnum = builder.enumType(Role, { name: "Role", description: "VIEWER reads; OPERATOR also runs, retries and cancels; ADMIN also edits jobs and purges logs." });
export const SortDirectionEnum = builder.enumType("SortDirection", { values: ["ASC", "DESC"] as const });

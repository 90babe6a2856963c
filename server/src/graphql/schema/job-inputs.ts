import { builder } from "../builder.ts";
import { createJobRules, updateJobRules } from "../job-input/input-rules.ts";
import { TriggerTypeEnum, WebhookFormatEnum, WebhookWhenEnum } from "./enums.ts";

const CFG = "A JSON object, or the text of one.";

// Fields are nullable on purpose: a missing value comes back as a per-field error, not a parse error.
// The job rules (job-input/job-rules.ts) check each input; resolvers receive what they output.
export const CreateJobInput = builder.inputType("CreateJobInput", {
  fields: (t) => ({
    id: t.string({ required: false, description: "Required and unique, e.g. \"oa.sync_members\"." }),
    description: t.string({ required: false }),
    enabled: t.boolean({ required: false, description: "Default true." }),
    triggerType: t.field({ type: TriggerTypeEnum, required: false, description: "Default CRON." }),
    cronExpr: t.string({ required: false, description: "CRON: 5 fields, or 6 with seconds first, in the job's zone." }),
    intervalSeconds: t.int({ required: false, description: "INTERVAL: seconds between runs." }),
    startAt: t.field({ type: "DateTime", required: false, description: "DATE: when to run (required); INTERVAL: the anchor slots count from (optional: omitted, the moment the job is saved is stored as its anchor)." }),
    timezone: t.string({ required: false, description: "IANA zone; empty = the server's TIMEZONE." }),
    handlerPath: t.string({ required: false, description: "e.g. \"extensions.example.job:ExampleJob\"." }),
    publicCfg: t.field({ type: "JSON", required: false, description: `${CFG} Required (use {} for none).` }),
    secretCfg: t.field({ type: "JSON", required: false, description: `${CFG} Write-only; stored encrypted. Default: none.` }),
    timeoutSeconds: t.int({ required: false, description: "Empty = JOB_TIMEOUT_SECONDS." }),
    allowOverlap: t.boolean({ required: false, description: "Default false: a slot is skipped while a run of this job is active." }),
    misfireGraceSeconds: t.int({ required: false, description: "Default 300: how late a missed slot may still run." }),
    keepLastRuns: t.int({ required: false, description: "Keep only this job's newest N finished runs (besides RUN_RETENTION_DAYS). Empty: by age only." }),
    webhookUrl: t.string({ required: false }),
    webhookFormat: t.field({ type: WebhookFormatEnum, required: false }),
    webhookWhen: t.field({ type: WebhookWhenEnum, required: false }),
    webhookSecret: t.field({ type: "JSON", required: false, description: "{bearer_token?, signing_secret?}; write-only, stored encrypted." }),
  }),
}).validate(createJobRules);

export const UpdateJobInput = builder.inputType("UpdateJobInput", {
  description: "Omitted fields keep their value; null clears a nullable one. A new `id` renames the job (its logs follow).",
  fields: (t) => ({
    id: t.string({ required: false, description: "New id (rename)." }),
    description: t.string({ required: false }),
    enabled: t.boolean({ required: false }),
    triggerType: t.field({ type: TriggerTypeEnum, required: false }),
    cronExpr: t.string({ required: false }),
    intervalSeconds: t.int({ required: false }),
    startAt: t.field({ type: "DateTime", required: false }),
    timezone: t.string({ required: false }),
    handlerPath: t.string({ required: false }),
    publicCfg: t.field({ type: "JSON", required: false, description: CFG }),
    secretCfg: t.field({ type: "JSON", required: false, description: `${CFG} Omitted or null keeps the stored secret; an object replaces it.` }),
    clearSecretCfg: t.boolean({ required: false, description: "true removes the stored secret config." }),
    secretCfgUpdates: t.field({
      type: "JSON",
      required: false,
      description:
        "Changes to the stored secret config key by key: a key with a value sets it, a key with null removes it, keys not named keep their stored value. Not together with secretCfg or clearSecretCfg.",
    }),
    timeoutSeconds: t.int({ required: false }),
    allowOverlap: t.boolean({ required: false }),
    misfireGraceSeconds: t.int({ required: false }),
    keepLastRuns: t.int({ required: false, description: "null: keep runs by age only." }),
    webhookUrl: t.string({ required: false }),
    webhookFormat: t.field({ type: WebhookFormatEnum, required: false }),
    webhookWhen: t.field({ type: WebhookWhenEnum, required: false }),
    webhookSecret: t.field({ type: "JSON", required: false, description: "Omitted or null keeps the stored one; an object replaces it." }),
    clearWebhookSecret: t.boolean({ required: false }),
  }),
}).validate(updateJobRules);

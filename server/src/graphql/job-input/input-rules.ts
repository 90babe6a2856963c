/**
 * The job rules as @pothos/plugin-validation schemas of CreateJobInput and UpdateJobInput. Their
 * output is what the resolvers receive: a checked definition (create) or a checked patch (update).
 */
import { z } from "zod";
import { definitionForCreate, patchForUpdate, type JobInput } from "./job-columns.ts";
import { fieldRules, jobDefinition } from "./job-rules.ts";

/**
 * A whole new job: defaults filled in, then every rule but the handler's import and config schemas
 * (prepareCreate checks those with storableJobDefinition, after authorization).
 */
export const createJobRules = z.preprocess((input) => definitionForCreate(input as JobInput), jobDefinition);

const patchRules = z.object({
  ...Object.fromEntries(Object.entries(fieldRules).map(([name, rule]) => [name, rule.optional()])),
  clearSecretCfg: z.boolean().nullish(),
  clearWebhookSecret: z.boolean().nullish(),
}) as unknown as z.ZodType<Partial<z.output<typeof jobDefinition>> & { clearSecretCfg?: boolean | null; clearWebhookSecret?: boolean | null }>;

/**
 * An edit: each field it sends is checked by its own rule here. The rules that span fields
 * (trigger, handler and configs) need the stored row, so prepareUpdate checks the merged
 * definition with storableJobDefinition.
 */
export const updateJobRules = z.preprocess((raw, ctx) => {
  const input = raw as JobInput;
  for (const field of ["secretCfg", "webhookSecret"] as const) {
    const clear = field === "secretCfg" ? input.clearSecretCfg : input.clearWebhookSecret;
    if (clear && input[field] !== undefined && input[field] !== null) {
      ctx.addIssue({ code: "custom", path: [field], message: `send either ${field} or clear${field[0]!.toUpperCase()}${field.slice(1)}, not both`, input: raw });
    }
  }
  return patchForUpdate(input);
}, patchRules);

export type JobPatch = z.output<typeof updateJobRules>;

/**
 * The job rules as the @pothos/plugin-validation schemas of CreateJobInput and UpdateJobInput.
 *
 * The plugin runs them before scope-auth and outside the resolver. A refusal thrown there would
 * reach a caller who may not use the mutation (instead of FORBIDDEN) and escape `audited` (no
 * FAILURE record). So these schemas never fail: each outputs its verdict — the checked value, or
 * the field errors with the input as normalized — and the resolver, once authorized and inside
 * the audit, adds what needs the handler module, the database and the key file, and refuses.
 */
import { z } from "zod";
import { fieldErrorsOf, type FieldError } from "../errors.ts";
import { definitionForCreate, patchForUpdate, type JobInput } from "./job-columns.ts";
import { fieldRules, jobDefinition, type JobDefinition } from "./job-rules.ts";

/** A checked input, or why not with the input as it was checked. */
export type Verdict<T> = { ok: true; value: T } | { ok: false; problems: FieldError[]; input: Record<string, unknown> };

function verdictOf<S extends z.ZodType>(rules: S) {
  return rules
    .transform((value): Verdict<z.output<S>> => ({ ok: true, value }))
    .catch(({ error, input }): Verdict<z.output<S>> => ({ ok: false, problems: fieldErrorsOf(error.issues), input: input as Record<string, unknown> }));
}

/** A new job: defaults filled in, then every rule but the handler's import and config schemas (prepareCreate's). */
export const createJobRules = z.preprocess((input) => definitionForCreate(input as JobInput), verdictOf(jobDefinition));

const patchRules = z.object({
  ...Object.fromEntries(Object.entries(fieldRules).map(([name, rule]) => [name, rule.optional()])),
  clearSecretCfg: z.boolean().nullish(),
  clearWebhookSecret: z.boolean().nullish(),
}) as unknown as z.ZodType<Partial<JobDefinition> & { clearSecretCfg?: boolean | null; clearWebhookSecret?: boolean | null }>;

/** Only one of a secret and its clear flag. */
function bothSent(input: JobInput): FieldError[] {
  return (["secretCfg", "webhookSecret"] as const)
    .filter((field) => (field === "secretCfg" ? input.clearSecretCfg : input.clearWebhookSecret) && input[field] !== undefined && input[field] !== null)
    .map((field) => {
      const clear = `clear${field[0]!.toUpperCase()}${field.slice(1)}`;
      return { field, code: "EITHER_OR", params: { field, other: clear }, message: `send either ${field} or ${clear}, not both` };
    });
}

/**
 * An edit: each field it sends is checked by its own rule. The rules across fields (trigger,
 * handler and configs) need the stored row: prepareUpdate checks the merged definition with
 * storableJobDefinition.
 */
export const updateJobRules = z.unknown().transform((raw) => {
  const input = raw as JobInput;
  const patch = patchForUpdate(input);
  const fields = verdictOf(patchRules).parse(patch);
  return { patch, problems: [...bothSent(input), ...(fields.ok ? [] : fields.problems)] };
});

export type CreateVerdict = z.output<typeof createJobRules>;
export type JobPatch = z.output<typeof updateJobRules>;

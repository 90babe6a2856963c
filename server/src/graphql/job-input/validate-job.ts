import type { Job } from "../../generated/prisma/client.ts";
import type { Runtime } from "../../runtime.ts";
import { fieldErrorsOf, ValidationError, type FieldError } from "../errors.ts";
import type { JobPatch } from "./input-rules.ts";
import { definitionForUpdate, triggerChanged, withIntervalAnchor, type JobColumns } from "./job-columns.ts";
import { storableJobDefinition, type JobDefinition } from "./job-rules.ts";

/** Everything a job row is written with; secrets already encrypted. `undefined` secret = keep stored. */
export interface JobWrite extends JobColumns {
  publicCfg: Record<string, unknown>;
  secretCfg?: string | null;
  webhookSecret?: string | null;
  completedAt?: null;
}

type Secret = Record<string, unknown> | null | undefined;

async function idTaken(runtime: Runtime, id: string): Promise<boolean> {
  return (await runtime.prisma.job.count({ where: { id } })) > 0;
}

/** New secrets need the key file: without it they could never be decrypted once it is restored. */
function keyErrors(runtime: Runtime, secrets: Record<"secretCfg" | "webhookSecret", Secret>): FieldError[] {
  const problem = runtime.keyProblem;
  if (!problem) return [];
  return Object.entries(secrets)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([field]) => ({ field, message: problem.message }));
}

/** undefined keeps the stored token, null clears it, an object is encrypted. */
function encrypt(runtime: Runtime, secret: Secret): string | null | undefined {
  if (secret === undefined || secret === null) return secret;
  return runtime.fernet().encryptJson(secret);
}

function columnsOf(definition: JobDefinition): JobColumns {
  const { publicCfg: _p, secretCfg: _s, webhookSecret: _w, ...columns } = definition;
  return withIntervalAnchor(columns, new Date());
}

/**
 * A new job that passed createJobRules (through the validation plugin): its handler and configs,
 * then what only this installation can tell (the id is free, a key file exists for its secrets);
 * secrets encrypted.
 */
export async function prepareCreate(runtime: Runtime, checked: JobDefinition): Promise<JobWrite> {
  const parsed = await storableJobDefinition.safeParseAsync(checked);
  const errors: FieldError[] = parsed.success ? [] : fieldErrorsOf(parsed.error.issues);
  errors.push(...keyErrors(runtime, { secretCfg: checked.secretCfg, webhookSecret: checked.webhookSecret }));
  if (await idTaken(runtime, checked.id)) errors.unshift({ field: "id", message: `a job with id "${checked.id}" already exists; choose another id` });
  if (!parsed.success || errors.length) throw new ValidationError(errors);
  const definition = parsed.data;
  return { ...columnsOf(definition), publicCfg: definition.publicCfg, secretCfg: encrypt(runtime, definition.secretCfg) ?? null, webhookSecret: encrypt(runtime, definition.webhookSecret) ?? null };
}

/** An edit (its fields checked by updateJobRules) merged over the stored job and checked whole; a rename is checked for uniqueness too. */
export async function prepareUpdate(runtime: Runtime, job: Job, patch: JobPatch): Promise<JobWrite> {
  const merged = definitionForUpdate(job, patch);
  const parsed = await storableJobDefinition.safeParseAsync(merged);
  const errors: FieldError[] = parsed.success ? [] : fieldErrorsOf(parsed.error.issues);
  errors.push(...keyErrors(runtime, { secretCfg: patch.secretCfg, webhookSecret: patch.webhookSecret }));
  if (merged.id !== job.id && !errors.some((e) => e.field === "id") && (await idTaken(runtime, merged.id))) {
    errors.push({ field: "id", message: `cannot rename to "${merged.id}": a job with that id already exists` });
  }
  if (!parsed.success || errors.length) throw new ValidationError(errors);
  const columns = columnsOf(parsed.data);
  return {
    ...columns,
    publicCfg: parsed.data.publicCfg,
    secretCfg: encrypt(runtime, patch.secretCfg),
    webhookSecret: encrypt(runtime, patch.webhookSecret),
    ...(triggerChanged(job, columns) ? { completedAt: null } : {}),
  };
}

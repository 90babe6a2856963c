import type { Job } from "../../generated/prisma/client.ts";
import type { Runtime } from "../../runtime.ts";
import { fieldErrorsOf, ValidationError, type FieldError } from "../errors.ts";
import type { CreateVerdict, JobPatch } from "./input-rules.ts";
import { definitionForUpdate, triggerChanged, withIntervalAnchor, type JobColumns } from "./job-columns.ts";
import { handlerProblems, storableJobDefinition, type JobDefinition } from "./job-rules.ts";

/** Everything a job row is written with; secrets already encrypted. `undefined` secret = keep stored. */
export interface JobWrite extends JobColumns {
  publicCfg: Record<string, unknown>;
  secretCfg?: string | null;
  webhookSecret?: string | null;
  completedAt?: null;
}

async function idTaken(runtime: Runtime, id: unknown): Promise<boolean> {
  return typeof id === "string" && (await runtime.prisma.job.count({ where: { id } })) > 0;
}

/** New secrets need the key file: without it they could never be decrypted once it is restored. */
function keyErrors(runtime: Runtime, secrets: Record<"secretCfg" | "webhookSecret", unknown>): FieldError[] {
  const problem = runtime.keyProblem;
  if (!problem) return [];
  return Object.entries(secrets)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([field]) => ({ field, code: "SECRET_KEY_UNAVAILABLE", message: problem.message }));
}

/** undefined keeps the stored token, null clears it, an object is encrypted. */
function encrypt(runtime: Runtime, secret: Record<string, unknown> | null | undefined): string | null | undefined {
  if (secret === undefined || secret === null) return secret;
  return runtime.fernet().encryptJson(secret);
}

function columnsOf(definition: JobDefinition): JobColumns {
  const { publicCfg: _p, secretCfg: _s, webhookSecret: _w, ...columns } = definition;
  return withIntervalAnchor(columns, new Date());
}

const unique = (errors: FieldError[]) => errors.filter((e, i) => errors.findIndex((o) => o.field === e.field && o.message === e.message) === i);

/**
 * A new job, given createJobRules' verdict on its input: adds what is checked only once the caller
 * is authorized — the handler imported with its config schemas, the id free, a key file for its
 * secrets — and throws ValidationError listing every bad field; else the row, secrets encrypted.
 */
export async function prepareCreate(runtime: Runtime, verdict: CreateVerdict): Promise<JobWrite> {
  const definition: Record<string, unknown> = verdict.ok ? verdict.value : verdict.input;
  const errors = verdict.ok ? [] : [...verdict.problems];
  errors.push(...(await handlerProblems(definition)));
  errors.push(...keyErrors(runtime, { secretCfg: definition.secretCfg, webhookSecret: definition.webhookSecret }));
  if (!errors.some((e) => e.field === "id") && (await idTaken(runtime, definition.id))) {
    errors.push({ field: "id", code: "JOB_ID_TAKEN", params: { id: String(definition.id) }, message: `a job with id "${String(definition.id)}" already exists; choose another id` });
  }
  if (!verdict.ok || errors.length) throw new ValidationError(errors);
  const checked = verdict.value;
  return { ...columnsOf(checked), publicCfg: checked.publicCfg, secretCfg: encrypt(runtime, checked.secretCfg) ?? null, webhookSecret: encrypt(runtime, checked.webhookSecret) ?? null };
}

/** An edit (its fields checked by updateJobRules) merged over the stored job and checked whole; a rename is checked for uniqueness too. */
export async function prepareUpdate(runtime: Runtime, job: Job, { patch, problems }: JobPatch): Promise<JobWrite> {
  const merged = definitionForUpdate(job, patch);
  const parsed = await storableJobDefinition.safeParseAsync(merged);
  const errors = unique([...problems, ...(parsed.success ? [] : fieldErrorsOf(parsed.error.issues))]);
  errors.push(...keyErrors(runtime, { secretCfg: patch.secretCfg, webhookSecret: patch.webhookSecret }));
  if (merged.id !== job.id && !errors.some((e) => e.field === "id") && (await idTaken(runtime, merged.id))) {
    errors.push({ field: "id", code: "JOB_ID_TAKEN", params: { id: String(merged.id) }, message: `cannot rename to "${merged.id}": a job with that id already exists` });
  }
  if (!parsed.success || errors.length) throw new ValidationError(errors);
  const columns = columnsOf(parsed.data);
  return {
    ...columns,
    publicCfg: parsed.data.publicCfg,
    secretCfg: encrypt(runtime, parsed.data.secretCfg),
    webhookSecret: encrypt(runtime, parsed.data.webhookSecret),
    ...(triggerChanged(job, columns) ? { completedAt: null } : {}),
  };
}

import type { Job } from "../../generated/prisma/client.ts";
import { maskLiveSecrets } from "../../logging/live-secrets.ts";
import { SecretMasker } from "../../logging/secret-masker.ts";
import { HandlerPathError, resolveHandler, validateHandlerConfig } from "../../plugins/index.ts";
import type { Runtime } from "../../runtime.ts";
import { ValidationError, type FieldError } from "../errors.ts";
import { columnsForCreate, columnsForUpdate, triggerChanged, withIntervalAnchor, type JobColumns, type JobInput } from "./job-columns.ts";
import { jsonObject } from "./json-object.ts";
import { idErrors, scalarErrors, triggerErrors, webhookSecretErrors } from "./validate-fields.ts";

/** Everything a job row is written with; secrets already encrypted. `undefined` secret = keep stored. */
export interface JobWrite extends JobColumns {
  publicCfg: Record<string, unknown>;
  secretCfg?: string | null;
  webhookSecret?: string | null;
  completedAt?: null;
}

type SecretChange = { kind: "keep" } | { kind: "clear" } | { kind: "set"; value: Record<string, unknown> };

function secretChange(field: string, value: unknown, clear: boolean | null | undefined, errors: FieldError[]): SecretChange {
  if (clear) {
    if (value !== undefined && value !== null) errors.push({ field, message: `send either ${field} or clear${field[0]!.toUpperCase()}${field.slice(1)}, not both` });
    return { kind: "clear" };
  }
  if (value === undefined || value === null) return { kind: "keep" };
  const parsed = jsonObject(field, value);
  if (parsed.error) errors.push(parsed.error);
  return parsed.value ? { kind: "set", value: parsed.value } : { kind: "keep" };
}

async function handlerErrors(handlerPath: string, publicCfg: Record<string, unknown> | undefined, secrets: Record<string, unknown> | undefined): Promise<FieldError[]> {
  if (!handlerPath) return [];
  if (publicCfg) return validateHandlerConfig(handlerPath, publicCfg, secrets);
  try {
    await resolveHandler(handlerPath);
    return [];
  } catch (error) {
    if (error instanceof HandlerPathError) return [{ field: "handlerPath", message: error.message }];
    throw error;
  }
}

async function idTaken(runtime: Runtime, id: string): Promise<boolean> {
  return (await runtime.prisma.job.count({ where: { id } })) > 0;
}

/** New secrets need the key file: without it they could never be decrypted once it is restored. */
function keyErrors(runtime: Runtime, secretCfg: SecretChange, webhookSecret: SecretChange): FieldError[] {
  const problem = runtime.keyProblem;
  if (!problem) return [];
  return Object.entries({ secretCfg, webhookSecret })
    .filter(([, change]) => change.kind === "set")
    .map(([field]) => ({ field, message: problem.message }));
}

function encrypt(runtime: Runtime, change: SecretChange): string | null | undefined {
  if (change.kind === "keep") return undefined;
  return change.kind === "clear" ? null : runtime.fernet().encryptJson(change.value);
}

/**
 * The error listing every bad field, with the submitted secret values masked: a handler's schema
 * (or a library) may quote the value it refused, and the answer must not carry it back.
 */
function validationError(errors: FieldError[], ...changes: SecretChange[]): ValidationError {
  const submitted = new SecretMasker();
  for (const change of changes) if (change.kind === "set") submitted.add(change.value);
  return new ValidationError(errors.map((e) => ({ ...e, message: maskLiveSecrets(submitted.mask(e.message)) })));
}

/**
 * The checks a definition arriving whole (`connecthub jobs import`) must pass, the same the API's
 * createJob applies: id, scalar fields, trigger and zone, the handler and its params schema.
 * Secrets are the file's encrypted tokens; whether they decrypt is checked by the importer.
 */
export async function definitionErrors(input: JobInput & { publicCfg: Record<string, unknown> }, serverZone: string): Promise<FieldError[]> {
  const columns = withIntervalAnchor(columnsForCreate(input), new Date());
  return [
    ...idErrors(input.id),
    ...scalarErrors(columns),
    ...triggerErrors(columns, serverZone),
    ...(await handlerErrors(columns.handlerPath, input.publicCfg, undefined)),
  ];
}

/** Validates a new job completely; throws ValidationError listing every bad field. */
export async function prepareCreate(runtime: Runtime, input: JobInput): Promise<JobWrite> {
  const columns = withIntervalAnchor(columnsForCreate(input), new Date());
  const errors: FieldError[] = [...idErrors(input.id), ...scalarErrors(columns), ...triggerErrors(columns, runtime.config.TIMEZONE)];
  const publicCfg = input.publicCfg === undefined || input.publicCfg === null ? { error: { field: "publicCfg", message: "publicCfg is required: a JSON object such as {} or {\"key\": \"value\"}" } } : jsonObject("publicCfg", input.publicCfg);
  if (publicCfg.error) errors.push(publicCfg.error);
  // A new job's secret config defaults to none; its keys are still checked against the handler's schema.
  const secret = secretChange("secretCfg", input.secretCfg, false, errors);
  const webhook = secretChange("webhookSecret", input.webhookSecret, false, errors);
  if (webhook.kind === "set") errors.push(...webhookSecretErrors(webhook.value));
  errors.push(...keyErrors(runtime, secret, webhook));
  errors.push(...(await handlerErrors(columns.handlerPath, publicCfg.value, secret.kind === "set" ? secret.value : {})));
  if (!errors.some((e) => e.field === "id") && (await idTaken(runtime, columns.id))) {
    errors.push({ field: "id", message: `a job with id "${columns.id}" already exists; choose another id` });
  }
  if (errors.length) throw validationError(errors, secret, webhook);
  return { ...columns, publicCfg: publicCfg.value!, secretCfg: encrypt(runtime, secret) ?? null, webhookSecret: encrypt(runtime, webhook) ?? null };
}

/** Validates an edit merged over the stored job; a rename is checked for uniqueness too. */
export async function prepareUpdate(runtime: Runtime, job: Job, input: JobInput): Promise<JobWrite> {
  const columns = withIntervalAnchor(columnsForUpdate(job, input), new Date());
  const errors: FieldError[] = [...(input.id !== undefined && input.id !== null ? idErrors(input.id) : []), ...scalarErrors(columns), ...triggerErrors(columns, runtime.config.TIMEZONE)];
  const publicCfg = input.publicCfg === undefined || input.publicCfg === null ? jsonObject("publicCfg", job.publicCfg) : jsonObject("publicCfg", input.publicCfg);
  if (publicCfg.error) errors.push(publicCfg.error);
  const secret = secretChange("secretCfg", input.secretCfg, input.clearSecretCfg, errors);
  const webhook = secretChange("webhookSecret", input.webhookSecret, input.clearWebhookSecret, errors);
  if (webhook.kind === "set") errors.push(...webhookSecretErrors(webhook.value));
  errors.push(...keyErrors(runtime, secret, webhook));
  const secretsToCheck = secret.kind === "set" ? secret.value : secret.kind === "clear" ? {} : undefined;
  errors.push(...(await handlerErrors(columns.handlerPath, publicCfg.value, secretsToCheck)));
  if (columns.id !== job.id && !errors.some((e) => e.field === "id") && (await idTaken(runtime, columns.id))) {
    errors.push({ field: "id", message: `cannot rename to "${columns.id}": a job with that id already exists` });
  }
  if (errors.length) throw validationError(errors, secret, webhook);
  return {
    ...columns,
    publicCfg: publicCfg.value!,
    secretCfg: encrypt(runtime, secret),
    webhookSecret: encrypt(runtime, webhook),
    ...(triggerChanged(job, columns) ? { completedAt: null } : {}),
  };
}

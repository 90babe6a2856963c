/**
 * The one job-definition schema. The API (createJob/updateJob through @pothos/plugin-validation,
 * input-rules.ts), `connecthub jobs import` and the admin's form hints (its JSON Schema, see
 * job-rules-json.ts) all read these rules, so none of them can accept a job another would refuse.
 *
 * It checks a definition after defaults (create, import) or merged over the stored row (update):
 * see job-columns.ts for those ways in. Checks that need the database or the key file (id taken,
 * secrets without a key) are validate-job.ts's.
 */
import { z } from "zod";
import { maskLiveSecrets } from "../../logging/live-secrets.ts";
import { SecretMasker } from "../../logging/secret-masker.ts";
import { HandlerPathError, moduleFileFor, parseHandlerPath, validateHandlerConfig } from "../../plugins/index.ts";
import { isValidTimeZone, TriggerValidationError, triggerFromJob } from "../../triggers/index.ts";
import type { ErrorParams, FieldError } from "../errors.ts";
import { jsonObject } from "./json-object.ts";
import { storableValueIssue } from "./storable-value.ts";

export const MAX_ID = 200;
export const MAX_DESCRIPTION = 2000;
export const MAX_SECONDS = 7 * 24 * 3600;
export const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:\-]*$/;
export const WEBHOOK_SECRET_KEYS = ["bearer_token", "signing_secret"] as const;
export const TRIGGER_TYPES = ["CRON", "INTERVAL", "DATE"] as const;
export const WEBHOOK_FORMATS = ["JSON", "DINGTALK", "WECOM", "FEISHU"] as const;
export const WEBHOOK_WHENS = ["FAILURE", "ALWAYS"] as const;

/** Every message by field and rule; the JSON Schema carries them as `errorMessage` (the ajv-errors keyword). */
export const MESSAGES = {
  id: {
    required: 'id is required: a unique name such as "oa.sync_members"',
    maxLength: `id is longer than ${MAX_ID} characters`,
    pattern: 'id may contain only letters, digits and . _ : - (no spaces), e.g. "oa.sync_members"',
  },
  description: { maxLength: `description is longer than ${MAX_DESCRIPTION} characters` },
  handlerPath: { required: 'handlerPath is required, e.g. "extensions.example.job:ExampleJob"' },
  timeoutSeconds: { range: `timeoutSeconds must be a whole number of seconds from 1 to ${MAX_SECONDS}` },
  misfireGraceSeconds: { range: `misfireGraceSeconds must be a whole number of seconds from 0 to ${MAX_SECONDS}` },
  keepLastRuns: { range: "must be a whole number of runs, at least 1 (or empty to keep runs by age only)" },
  webhookUrl: { format: "webhookUrl must be an http:// or https:// URL, or empty for none" },
  publicCfg: { required: 'publicCfg is required: a JSON object such as {} or {"key": "value"}' },
  timezone: {
    format: (zone: string) => `timezone "${zone}" is not a known IANA time zone; use a name like "Asia/Shanghai" or "UTC", or leave it empty for the server default (TIMEZONE)`,
  },
  webhookSecret: { unknownKey: `unknown key; allowed: ${WEBHOOK_SECRET_KEYS.join(", ")}`, value: "must be a non-empty string" },
} as const;

/**
 * For a field's later checks: only the first failing rule of a field speaks, so each field gets one
 * message. (Not `abort`: an aborted issue would also stop the cross-field checks below.)
 */
const firstOnly = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/**
 * A custom issue's stable code and parameters (errors.ts issueCode reads them into the field
 * error), so a client can word it in its own language; zod's built-in checks get theirs by kind.
 */
const coded = (code: string, params: ErrorParams = {}) => ({ code, ...params });

/** A text column: PostgreSQL refuses NUL characters, so they are named here instead of failing there. */
const text = (field: string) =>
  z.string().superRefine((value, ctx) => {
    const problem = storableValueIssue(value);
    if (problem) ctx.addIssue({ code: "custom", params: coded(problem.code, problem.params), message: `${field} ${problem.message}` });
  });

/** z.number().int() would abort the object on a fraction, and with it the cross-field checks. */
const wholeNumber = (message: string) => z.number().refine(Number.isInteger, { error: message, params: coded("NOT_WHOLE_NUMBER") });

const seconds = (field: "timeoutSeconds" | "misfireGraceSeconds", min: number) => {
  const message = MESSAGES[field].range;
  return wholeNumber(message).min(min, { error: message, ...firstOnly }).max(MAX_SECONDS, { error: message, ...firstOnly }).meta({ type: "integer", errorMessage: { type: message, minimum: message, maximum: message } });
};

function isHttpUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Why a handlerPath names no module file, or null. Only the file system is asked, nothing is
 * imported: these rules run before authorization (see input-refusal.ts); importing the module and
 * checking its class and config schemas is handlerProblems' part, after it.
 */
function handlerFileProblem(handlerPath: string): HandlerPathError | null {
  try {
    moduleFileFor(handlerPath, parseHandlerPath(handlerPath));
    return null;
  } catch (error) {
    if (error instanceof HandlerPathError) return error;
    throw error;
  }
}

/** A config field: a JSON object or the text of one; parsed into the object (json-object.ts keeps the messages). */
const configObject = (field: string) =>
  z.unknown().transform((value, ctx) => {
    const parsed = jsonObject(field, value);
    if (parsed.error) {
      ctx.addIssue({ code: "custom", params: coded(parsed.error.code ?? "NOT_AN_OBJECT", parsed.error.params), message: parsed.error.message });
      // Not z.NEVER: that is an object, and the cross-field checks would take it for the config.
      return undefined as never;
    }
    return parsed.value!;
  });

/** The rule of each definition field, alone (update checks the fields it is sent with these). */
export const fieldRules = {
  id: text("id")
    .min(1, { error: MESSAGES.id.required, ...firstOnly })
    .refine((v) => v.trim() !== "", { error: MESSAGES.id.required, params: coded("REQUIRED"), ...firstOnly })
    .max(MAX_ID, { error: MESSAGES.id.maxLength, ...firstOnly })
    // A refinement, not .regex(): its issue names its own code; `pattern` keeps it in the JSON Schema.
    .refine((v) => ID_PATTERN.test(v), { error: MESSAGES.id.pattern, params: coded("JOB_ID_FORMAT"), ...firstOnly })
    .meta({ description: "Unique, e.g. \"oa.sync_members\".", pattern: ID_PATTERN.source, errorMessage: { minLength: MESSAGES.id.required, maxLength: MESSAGES.id.maxLength, pattern: MESSAGES.id.pattern }, errorCode: { pattern: "JOB_ID_FORMAT" } }),
  description: text("description").max(MAX_DESCRIPTION, MESSAGES.description.maxLength).nullable().meta({ errorMessage: { maxLength: MESSAGES.description.maxLength } }),
  enabled: z.boolean(),
  triggerType: z.enum(TRIGGER_TYPES),
  cronExpr: text("cronExpr").nullable(),
  intervalSeconds: z.number().nullable(),
  startAt: z.date().nullable(),
  timezone: text("timezone")
    .superRefine((zone, ctx) => {
      if (!isValidTimeZone(zone)) ctx.addIssue({ code: "custom", params: coded("TIMEZONE_UNKNOWN", { zone }), message: MESSAGES.timezone.format(zone) });
    })
    .nullable(),
  handlerPath: text("handlerPath")
    .min(1, { error: MESSAGES.handlerPath.required, ...firstOnly })
    .superRefine((handlerPath, ctx) => {
      const problem = handlerFileProblem(handlerPath);
      if (problem) ctx.addIssue({ code: "custom", params: coded(problem.reason, { handlerPath }), message: problem.message });
    }, firstOnly)
    .meta({ errorMessage: { minLength: MESSAGES.handlerPath.required } }),
  timeoutSeconds: seconds("timeoutSeconds", 1).nullable(),
  allowOverlap: z.boolean(),
  misfireGraceSeconds: seconds("misfireGraceSeconds", 0),
  keepLastRuns: wholeNumber(MESSAGES.keepLastRuns.range)
    .min(1, { error: MESSAGES.keepLastRuns.range, ...firstOnly })
    .meta({ type: "integer" })
    .nullable()
    .meta({ errorMessage: { type: MESSAGES.keepLastRuns.range, minimum: MESSAGES.keepLastRuns.range } }),
  webhookUrl: text("webhookUrl").refine(isHttpUrl, { error: MESSAGES.webhookUrl.format, params: coded("NOT_HTTP_URL") }).nullable().meta({ format: "uri", errorMessage: { format: MESSAGES.webhookUrl.format } }),
  webhookFormat: z.enum(WEBHOOK_FORMATS),
  webhookWhen: z.enum(WEBHOOK_WHENS),
  publicCfg: z.unknown().superRefine((value, ctx) => {
    if (value === undefined || value === null) ctx.addIssue({ code: "custom", params: coded("REQUIRED"), message: MESSAGES.publicCfg.required });
  }).pipe(configObject("publicCfg")),
  /** A secret config being set (object), none (null), or the stored one kept and left unchecked (undefined). */
  secretCfg: configObject("secretCfg").nullable().optional(),
  webhookSecret: configObject("webhookSecret")
    .superRefine((secret, ctx) => {
      for (const [key, value] of Object.entries(secret)) {
        if (!(WEBHOOK_SECRET_KEYS as readonly string[]).includes(key)) ctx.addIssue({ code: "custom", path: [key], params: coded("UNKNOWN_KEY", { allowed: WEBHOOK_SECRET_KEYS.join(", ") }), message: MESSAGES.webhookSecret.unknownKey });
        else if (typeof value !== "string" || value === "") ctx.addIssue({ code: "custom", path: [key], params: coded("NON_EMPTY_TEXT"), message: MESSAGES.webhookSecret.value });
      }
    })
    .nullable()
    .optional(),
};

/** What a cross-field check sees: a field that failed its own rule still holds its raw input. */
type Shape = { [K in keyof typeof fieldRules]?: unknown };

/**
 * Trigger fields together. An INTERVAL job without `startAt` is valid: the moment it is saved
 * becomes its anchor (withIntervalAnchor), so it is checked with that anchor. The zone is checked
 * on its own (fieldRules.timezone), so one bad field does not hide the other.
 */
function triggerIssues(job: Shape, ctx: z.RefinementCtx): void {
  const startAt = job.startAt instanceof Date ? job.startAt : null;
  try {
    triggerFromJob({
      triggerType: String(job.triggerType),
      cronExpr: typeof job.cronExpr === "string" ? job.cronExpr : null,
      intervalSeconds: typeof job.intervalSeconds === "number" ? job.intervalSeconds : null,
      startAt: job.triggerType === "INTERVAL" && startAt === null ? new Date() : startAt,
      timezone: null,
    });
  } catch (error) {
    if (!(error instanceof TriggerValidationError)) throw error;
    ctx.addIssue({ code: "custom", path: [error.field], params: coded(error.reason, error.params), message: error.message });
  }
}

/**
 * What is wrong with a definition's handler and configs: the handler module is imported, its class
 * found, its schemas applied to the configs. Field paths such as "publicCfg.name" come from the
 * handler's schema. Messages have the submitted secret values masked: a handler's schema (or a
 * library) may quote the value it refused. Takes a definition that may have failed other rules.
 */
export async function handlerProblems(job: Shape): Promise<FieldError[]> {
  const handlerPath = typeof job.handlerPath === "string" ? job.handlerPath.trim() : "";
  // No file: fieldRules.handlerPath has said so already.
  if (!handlerPath || handlerFileProblem(handlerPath)) return [];
  // A field that failed its own rule still holds its raw input; jsonObject tells the two apart.
  const publicCfg = jsonObject("publicCfg", job.publicCfg).value;
  // Secrets: none (null) are checked as {}; kept (undefined) or unreadable ones are not checked.
  const secretCfg = job.secretCfg === null ? {} : job.secretCfg === undefined ? undefined : jsonObject("secretCfg", job.secretCfg).value;
  const masker = new SecretMasker();
  for (const secret of [job.secretCfg, job.webhookSecret]) if (secret) masker.add(secret);
  const problems = await validateHandlerConfig(handlerPath, publicCfg ?? {}, secretCfg);
  return problems
    // Without a valid publicCfg only the handler itself is checked (publicCfg's own error is listed).
    .filter((problem) => publicCfg || !problem.field.startsWith("publicCfg"))
    .map((problem) => ({
      field: problem.field,
      message: maskLiveSecrets(masker.mask(problem.message)),
      ...(problem.code ? { code: problem.code } : {}),
      ...(problem.params ? { params: maskParams(problem.params, masker) } : {}),
    }));
}

/** A problem's parameters, their text masked like its message (a custom issue may name what it refused). */
function maskParams(params: ErrorParams, masker: SecretMasker): ErrorParams {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? maskLiveSecrets(masker.mask(v)) : v]));
}

const isObject = (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null;

/**
 * A job definition: every field's rule, then the trigger. Synchronous and free of side effects, so
 * the API can check an input with it before authorization.
 */
export const jobDefinition = z
  .object(fieldRules)
  // Cross-field checks run even when a field failed: every bad field is reported at once.
  .superRefine(triggerIssues, { when: isObject });

/** The same, and the handler imported with its configs checked: what may be stored. */
export const storableJobDefinition = jobDefinition.superRefine(
  async (job, ctx) => {
    for (const problem of await handlerProblems(job)) ctx.addIssue({ code: "custom", path: [problem.field], params: problem.code ? coded(problem.code, problem.params) : undefined, message: problem.message });
  },
  { when: isObject },
);

export type JobDefinition = z.output<typeof jobDefinition>;
export type JobDefinitionInput = z.input<typeof jobDefinition>;

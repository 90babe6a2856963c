import { createSignal } from "solid-js";
import { createStore } from "solid-js/store";
import { instantToWallTime } from "../lib/format.ts";
import { parseConfigObject } from "../lib/json-config.ts";
import { wallTextToInstant, wallTimeText } from "../lib/wall-time-text.ts";
import { ruleProblem } from "../lib/job-rules.ts";
import { t } from "./i18n.ts";

export type TriggerType = "CRON" | "INTERVAL" | "DATE";
export type WebhookFormat = "JSON" | "DINGTALK" | "WECOM" | "FEISHU";
export type WebhookWhen = "FAILURE" | "ALWAYS";

/** What the editor needs of a stored job (secrets arrive as key names only). */
export interface StoredJob {
  id: string;
  description: string | null;
  enabled: boolean;
  triggerType: TriggerType;
  cronExpr: string | null;
  intervalSeconds: number | null;
  startAt: string | null;
  timezone: string | null;
  handlerPath: string;
  publicCfg: unknown;
  secretKeys: string[];
  hasSecrets: boolean;
  timeoutSeconds: number | null;
  allowOverlap: boolean;
  misfireGraceSeconds: number;
  keepLastRuns: number | null;
  webhookUrl: string | null;
  webhookFormat: WebhookFormat;
  webhookWhen: WebhookWhen;
  hasWebhookSecret: boolean;
}

/** The form as typed: text fields stay text so half-typed values are not lost. */
export interface JobFormValues {
  id: string;
  description: string;
  enabled: boolean;
  triggerType: TriggerType;
  cronExpr: string;
  intervalSeconds: string;
  /** Date-time text in the job's zone, "YYYY-MM-DD HH:mm[:ss]" (lib/wall-time-text.ts). */
  startAt: string;
  timezone: string;
  handlerPath: string;
  publicCfg: string;
  /** New secret values by key, as typed; a key left empty keeps what is stored. */
  secretValues: Record<string, string>;
  /** Stored secret keys to remove on save. */
  secretRemoved: Record<string, boolean>;
  clearSecretCfg: boolean;
  timeoutSeconds: string;
  allowOverlap: boolean;
  misfireGraceSeconds: string;
  keepLastRuns: string;
  webhookUrl: string;
  webhookFormat: WebhookFormat;
  webhookWhen: WebhookWhen;
  webhookBearerToken: string;
  webhookSigningSecret: string;
  clearWebhookSecret: boolean;
}

/** Form fields (and "secretCfg", where the secret inputs' problems show). */
export type FieldName = keyof JobFormValues | "secretCfg";
export type FieldErrors = Partial<Record<FieldName, string>>;

export function initialValues(job: StoredJob | null, zone: string): JobFormValues {
  return {
    id: job?.id ?? "",
    description: job?.description ?? "",
    enabled: job?.enabled ?? true,
    triggerType: job?.triggerType ?? "CRON",
    cronExpr: job?.cronExpr ?? (job ? "" : "*/5 * * * *"),
    intervalSeconds: job?.intervalSeconds ? String(job.intervalSeconds) : "",
    startAt: job?.startAt ? storedStartText(job, zone) : "",
    timezone: job?.timezone ?? "",
    handlerPath: job?.handlerPath ?? "",
    publicCfg: JSON.stringify(job?.publicCfg ?? {}, null, 2),
    secretValues: {},
    secretRemoved: {},
    clearSecretCfg: false,
    timeoutSeconds: job?.timeoutSeconds ? String(job.timeoutSeconds) : "",
    allowOverlap: job?.allowOverlap ?? false,
    misfireGraceSeconds: String(job?.misfireGraceSeconds ?? 300),
    keepLastRuns: job?.keepLastRuns ? String(job.keepLastRuns) : "",
    webhookUrl: job?.webhookUrl ?? "",
    webhookFormat: job?.webhookFormat ?? "JSON",
    webhookWhen: job?.webhookWhen ?? "FAILURE",
    webhookBearerToken: "",
    webhookSigningSecret: "",
    clearWebhookSecret: false,
  };
}

/** A stored start as the editor shows it, to the second. */
export function storedStartText(job: Pick<StoredJob, "startAt" | "timezone">, zone: string): string {
  return job.startAt ? wallTimeText(instantToWallTime(job.startAt, job.timezone || zone, true)) : "";
}

/** Fields whose rules the form checks itself; the rest are the server's (cron, zone, handler). */
const RULED_FIELDS = ["id", "description", "timeoutSeconds", "misfireGraceSeconds", "keepLastRuns"] as const satisfies readonly FieldName[];

function optionalInt(text: string): number | null | "invalid" {
  if (text.trim() === "") return null;
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : "invalid";
}

/**
 * The create/update input built from the form, or the fields that cannot be sent as typed.
 * Server-side rules (cron syntax, handler, schema) are checked by the server and shown per field.
 */
export function toJobInput(values: JobFormValues, zone: string): { input: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const input: Record<string, unknown> = {
    id: values.id.trim(),
    description: values.description.trim() || null,
    enabled: values.enabled,
    triggerType: values.triggerType,
    timezone: values.timezone.trim() || null,
    handlerPath: values.handlerPath,
    allowOverlap: values.allowOverlap,
    webhookUrl: values.webhookUrl.trim() || null,
    webhookFormat: values.webhookFormat,
    webhookWhen: values.webhookWhen,
  };
  if (!input.id) errors.id = t("editor.error.idRequired");
  if (!values.handlerPath) errors.handlerPath = t("editor.error.handlerRequired");
  input.cronExpr = values.triggerType === "CRON" ? values.cronExpr.trim() : null;
  const interval = optionalInt(values.intervalSeconds);
  if (values.triggerType === "INTERVAL" && (interval === "invalid" || interval === null)) errors.intervalSeconds = t("editor.error.wholeSeconds");
  input.intervalSeconds = values.triggerType === "INTERVAL" && typeof interval === "number" ? interval : null;
  if (values.startAt.trim()) {
    const instant = wallTextToInstant(values.startAt, values.timezone.trim() || zone);
    if (instant === "invalid") errors.startAt = t("editor.error.dateTime");
    input.startAt = instant === "invalid" ? null : instant;
  } else {
    if (values.triggerType === "DATE") errors.startAt = t("editor.error.dateRequired");
    input.startAt = null;
  }
  const timeout = optionalInt(values.timeoutSeconds);
  if (timeout === "invalid") errors.timeoutSeconds = t("editor.error.wholeSeconds");
  else input.timeoutSeconds = timeout;
  const grace = optionalInt(values.misfireGraceSeconds);
  if (grace === "invalid" || grace === null) errors.misfireGraceSeconds = t("editor.error.wholeSeconds");
  else input.misfireGraceSeconds = grace;
  const keepLast = optionalInt(values.keepLastRuns);
  if (keepLast === "invalid" || keepLast === 0) errors.keepLastRuns = t("editor.error.keepLastRuns");
  else input.keepLastRuns = keepLast;

  const cfg = parseConfigObject(values.publicCfg);
  if (cfg.ok) input.publicCfg = cfg.value;
  else errors.publicCfg = cfg.problem.message;
  // Only the secrets typed: on create they are the secret config, on edit the keys to change.
  const typed = Object.entries(values.secretValues).filter(([, v]) => v !== "");
  if (typed.length) input.secretCfg = Object.fromEntries(typed);
  // The server's own limits and messages (lib/job-rules.ts), before the round trip.
  for (const field of RULED_FIELDS) {
    const problem = errors[field] ? null : ruleProblem(field, (input[field] ?? null) as string | number | null);
    if (problem) errors[field] = problem;
  }
  const bearer = values.webhookBearerToken.trim();
  const signing = values.webhookSigningSecret.trim();
  if (bearer || signing) input.webhookSecret = { ...(bearer ? { bearer_token: bearer } : {}), ...(signing ? { signing_secret: signing } : {}) };
  return { input, errors };
}

/** Server field names ("publicCfg.name", "webhookSecret") to the form field that shows them. */
export function formFieldOf(serverField: string): FieldName {
  const head = serverField.split(/[.[/]/)[0] ?? "";
  if (head === "webhookSecret") return "webhookBearerToken";
  if (head === "secretCfgUpdates") return "secretCfg";
  const known: FieldName[] = ["id", "description", "enabled", "triggerType", "cronExpr", "intervalSeconds", "startAt", "timezone", "handlerPath", "publicCfg", "secretCfg", "timeoutSeconds", "allowOverlap", "misfireGraceSeconds", "keepLastRuns", "webhookUrl", "webhookFormat", "webhookWhen"];
  return (known as string[]).includes(head) ? (head as FieldName) : "id";
}

/** The update input's secret part: typed values and removals as per-key changes, or a clear. */
export function secretUpdateOf(values: JobFormValues, typed: unknown): Record<string, unknown> {
  if (values.clearSecretCfg) return { clearSecretCfg: true };
  const removed = Object.keys(values.secretRemoved).filter((k) => values.secretRemoved[k]);
  const updates = { ...((typed as Record<string, unknown> | undefined) ?? {}), ...Object.fromEntries(removed.map((k) => [k, null])) };
  return Object.keys(updates).length ? { secretCfgUpdates: updates } : {};
}

export function createJobForm(initial: JobFormValues) {
  const [values, setValues] = createStore<JobFormValues>(initial);
  const [errors, setErrors] = createSignal<FieldErrors>({});
  return {
    values,
    set<K extends keyof JobFormValues>(field: K, value: JobFormValues[K]) {
      setValues(field, value as never);
      if (errors()[field]) setErrors((e) => ({ ...e, [field]: undefined }));
    },
    /** One secret's typed value (the secret inputs' problems clear as they change). */
    setSecret(key: string, value: string) {
      setValues("secretValues", key, value);
      if (errors().secretCfg) setErrors((e) => ({ ...e, secretCfg: undefined }));
    },
    setSecretRemoved(key: string, removed: boolean) {
      setValues("secretRemoved", key, removed);
    },
    errors,
    setErrors,
  };
}

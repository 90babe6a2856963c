import { t, translate } from "../stores/i18n.ts";

// Server messages and errors carry a stable code and parameters; these render them from the
// catalogue in the chosen language, falling back to the server's own (English) text.

type Params = Record<string, string | number>;

/** What a run (or a status event) says about its outcome. */
export interface CodedRunMessage {
  message?: string | null;
  messageCode?: string | null;
  messageParams?: unknown;
}

function paramsOf(value: unknown): Params {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Params) : {};
}

/** The outcome's words for `code`, or null when the catalogue does not know it. */
function outcomeText(code: string, params: Params): string | null {
  if (code === "RUN_WITHDRAWN") {
    const reasonText = translate(`run.withdraw.${params.reason}`, params) ?? String(params.detail ?? params.reason ?? "");
    return translate("run.msg.RUN_WITHDRAWN", { ...params, reasonText });
  }
  if (code === "RUN_HANDLER_STUCK") {
    const causeText = outcomeText(String(params.cause), params);
    return causeText === null ? null : translate("run.msg.RUN_HANDLER_STUCK", { ...params, causeText });
  }
  return translate(`run.msg.${code}`, params);
}

const SUMMARY_HEAD = /^\n\nWarnings and errors logged \((\d+)\):/;
const SUMMARY_MORE = /\n- … and (\d+) more \(see the run log\)$/;

/** A run's message in the chosen language: its outcome from the catalogue, then the warnings it logged (their own words). */
export function runMessageText(run: CodedRunMessage): string {
  const stored = run.message ?? "";
  if (!run.messageCode) return stored;
  const params = paramsOf(run.messageParams);
  const base = outcomeText(run.messageCode, params);
  if (base === null) return stored;
  const at = typeof params.summaryAt === "number" ? params.summaryAt : null;
  if (at === null || at >= stored.length) return base;
  const summary = stored
    .slice(at)
    .replace(SUMMARY_HEAD, (_all, n: string) => `\n\n${t("run.msg.warningsHeader", { n })}`)
    .replace(SUMMARY_MORE, (_all, n: string) => `\n${t("run.msg.warningsMore", { n })}`);
  return base + summary;
}

/** A refused action or failed request, by its code (and parameters); the server's text otherwise. */
export function codedErrorText(code: string, message: string, params?: unknown): string {
  const p = paramsOf(params);
  const what = typeof p.what === "string" ? (translate(`error.what.${p.what}`) ?? p.what) : undefined;
  return translate(`error.${code}`, what === undefined ? p : { ...p, what }) ?? message;
}

/** A trigger preview's problem (TriggerInvalidError): its own code travels as `params.reason`. */
export function triggerProblemText(problem: { message: string; params?: unknown }): string {
  const params = paramsOf(problem.params);
  return fieldErrorText({ message: problem.message, code: typeof params.reason === "string" ? params.reason : null, params });
}

/** One field's problem, by its code (and parameters); the server's text otherwise. */
export function fieldErrorText(problem: { message: string; code?: string | null; params?: unknown }): string {
  if (!problem.code) return problem.message;
  const params = paramsOf(problem.params);
  return translate(`field.${problem.code}`, { ...params, ...nestedWords(problem.code, params) }) ?? problem.message;
}

/** Parameters that are codes themselves, worded: a cron problem's detail, a type's name. */
function nestedWords(code: string, params: Params): Params {
  if (code === "WRONG_TYPE" && typeof params.expected === "string") return { expected: translate(`field.type.${params.expected}`) ?? params.expected };
  if (code === "CRON_INVALID") return { detail: cronDetailText(params) };
  return {};
}

/** CRON_INVALID's detail from its own code (`detailCode`), the field named in the chosen language; the server's words otherwise. */
function cronDetailText(params: Params): string {
  const fallback = String(params.detail ?? "");
  if (typeof params.detailCode !== "string") return fallback;
  const field = typeof params.cronField === "string" ? params.cronField : null;
  const named: Params = field ? { fieldName: translate(`cron.field.${field}`) ?? field, allowed: translate(`cron.allowed.${field}`) ?? "" } : {};
  return translate(`cron.${params.detailCode}`, { ...params, ...named }) ?? fallback;
}

// What each cron field accepts, in the words an operator reads in an error message.

export interface CronFieldSpec {
  /** Stable name of the field in a problem's parameters (`cronField`): clients name it in their language. */
  readonly key: "second" | "minute" | "hour" | "dayOfMonth" | "month" | "dayOfWeek";
  readonly label: string;
  readonly range: string;
  /** Largest step that still repeats within the field; cron-parser quietly accepts wider ones. */
  readonly maxStep: number;
  readonly hint: string;
}

const SECOND: CronFieldSpec = { key: "second", label: "second", range: "0-59", maxStep: 59, hint: "" };
const MINUTE: CronFieldSpec = { key: "minute", label: "minute", range: "0-59", maxStep: 59, hint: "" };
const HOUR: CronFieldSpec = { key: "hour", label: "hour", range: "0-23", maxStep: 23, hint: "" };
const DAY_OF_MONTH: CronFieldSpec = { key: "dayOfMonth", label: "day of month", range: "1-31", maxStep: 30, hint: ', or "L" for the last day' };
const MONTH: CronFieldSpec = { key: "month", label: "month", range: "1-12", maxStep: 11, hint: " or JAN-DEC" };
const DAY_OF_WEEK: CronFieldSpec = {
  key: "dayOfWeek",
  label: "day of week",
  range: "0-7",
  maxStep: 6,
  hint: ' (0 and 7 are Sunday) or SUN-SAT, "5L" for the last Friday, "1#2" for the second Monday',
};

export const FIVE_FIELDS: readonly CronFieldSpec[] = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];
export const SIX_FIELDS: readonly CronFieldSpec[] = [SECOND, ...FIVE_FIELDS];

/** The classic crontab shortcuts (croniter, which the original validated with, accepts them too). */
export const CRON_SHORTCUTS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export const FIELD_LAYOUT = "5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first";

/**
 * What is wrong with a cron expression: the English text (CRON_INVALID's `detail`), and a stable
 * code with the values it names (`detailCode` and the rest of CRON_INVALID's parameters), so a
 * client words it in its own language. A field's problem names it by `cronField` (CronFieldSpec.key).
 */
export interface CronProblem {
  text: string;
  code: string;
  params: Record<string, string | number>;
}

const fieldProblem = (spec: CronFieldSpec, raw: string, code: string, text: string, params: Record<string, string | number> = {}): CronProblem => ({
  text,
  code,
  params: { cronField: spec.key, value: raw, ...params },
});

/** Turns one of cron-parser's messages about a single field into one an operator can act on. */
export function describeFieldProblem(spec: CronFieldSpec, raw: string, parserMessage: string): CronProblem {
  const allowed = `${spec.range}${spec.hint}`;
  if (/expected range|Validation error, got value/.test(parserMessage)) {
    return fieldProblem(spec, raw, "CRON_OUT_OF_RANGE", `${spec.label} must be ${allowed} (got "${raw}")`);
  }
  const duplicate = /duplicate values found: (\S+)/.exec(parserMessage);
  if (duplicate !== null) {
    const sunday = spec === DAY_OF_WEEK ? " (0 and 7 are both Sunday)" : "";
    return fieldProblem(spec, raw, "CRON_DUPLICATE", `${spec.label} "${raw}" includes ${duplicate[1]} more than once${sunday}; list each value once`, { duplicate: duplicate[1] ?? "" });
  }
  if (/cannot repeat at every 0/.test(parserMessage)) {
    return fieldProblem(spec, raw, "CRON_STEP_RANGE", `${spec.label} step must be 1-${spec.maxStep} (got "${raw}")`, { maxStep: spec.maxStep });
  }
  if (/^Invalid range: \S+, min\(/.test(parserMessage)) {
    return fieldProblem(spec, raw, "CRON_RANGE_BACKWARDS", `${spec.label} range in "${raw}" runs backwards; write the smaller value first`);
  }
  if (/occurrence number/.test(parserMessage)) {
    return fieldProblem(spec, raw, "CRON_NTH_INVALID", `${spec.label} "#" must be followed by 1-5, the occurrence in the month (got "${raw}")`);
  }
  return fieldProblem(spec, raw, "CRON_FIELD_INVALID", `${spec.label} "${raw}" is not valid; use ${allowed}, "*", lists "1,2", ranges "1-5" or steps "*/5"`);
}

/** Checks cron-parser does not make: hashed values and steps wider than the field. */
export function findOwnFieldProblem(spec: CronFieldSpec, raw: string): CronProblem | null {
  // A lone H (not inside a name such as THU) asks for a random value; random per process means
  // the dispatcher, the preview and a second worker would disagree about when the job runs.
  if (/(?<![A-Za-z])H(?![A-Za-z])/.test(raw)) {
    return fieldProblem(spec, raw, "CRON_HASH_UNSUPPORTED", `${spec.label} "${raw}" uses H (a random value), which is not supported; write the value explicitly`);
  }
  for (const part of raw.split(",")) {
    const step = /\/(\d+)$/.exec(part);
    if (step?.[1] !== undefined) {
      const size = Number(step[1]);
      if (size < 1 || size > spec.maxStep) return fieldProblem(spec, raw, "CRON_STEP_RANGE", `${spec.label} step must be 1-${spec.maxStep} (got "${raw}")`, { maxStep: spec.maxStep });
    }
  }
  return null;
}

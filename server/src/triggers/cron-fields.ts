// What each cron field accepts, in the words an operator reads in an error message.

export interface CronFieldSpec {
  readonly label: string;
  readonly range: string;
  /** Largest step that still repeats within the field; cron-parser quietly accepts wider ones. */
  readonly maxStep: number;
  readonly hint: string;
}

const SECOND: CronFieldSpec = { label: "second", range: "0-59", maxStep: 59, hint: "" };
const MINUTE: CronFieldSpec = { label: "minute", range: "0-59", maxStep: 59, hint: "" };
const HOUR: CronFieldSpec = { label: "hour", range: "0-23", maxStep: 23, hint: "" };
const DAY_OF_MONTH: CronFieldSpec = { label: "day of month", range: "1-31", maxStep: 30, hint: ', or "L" for the last day' };
const MONTH: CronFieldSpec = { label: "month", range: "1-12", maxStep: 11, hint: " or JAN-DEC" };
const DAY_OF_WEEK: CronFieldSpec = {
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

/** Turns one of cron-parser's messages about a single field into one an operator can act on. */
export function describeFieldProblem(spec: CronFieldSpec, raw: string, parserMessage: string): string {
  const allowed = `${spec.range}${spec.hint}`;
  if (/expected range|Validation error, got value/.test(parserMessage)) {
    return `${spec.label} must be ${allowed} (got "${raw}")`;
  }
  const duplicate = /duplicate values found: (\S+)/.exec(parserMessage);
  if (duplicate !== null) {
    const sunday = spec === DAY_OF_WEEK ? " (0 and 7 are both Sunday)" : "";
    return `${spec.label} "${raw}" includes ${duplicate[1]} more than once${sunday}; list each value once`;
  }
  if (/cannot repeat at every 0/.test(parserMessage)) {
    return `${spec.label} step must be 1-${spec.maxStep} (got "${raw}")`;
  }
  if (/^Invalid range: \S+, min\(/.test(parserMessage)) {
    return `${spec.label} range in "${raw}" runs backwards; write the smaller value first`;
  }
  if (/occurrence number/.test(parserMessage)) {
    return `${spec.label} "#" must be followed by 1-5, the occurrence in the month (got "${raw}")`;
  }
  return `${spec.label} "${raw}" is not valid; use ${allowed}, "*", lists "1,2", ranges "1-5" or steps "*/5"`;
}

/** Checks cron-parser does not make: hashed values and steps wider than the field. */
export function findOwnFieldProblem(spec: CronFieldSpec, raw: string): string | null {
  // A lone H (not inside a name such as THU) asks for a random value; random per process means
  // the dispatcher, the preview and a second worker would disagree about when the job runs.
  if (/(?<![A-Za-z])H(?![A-Za-z])/.test(raw)) {
    return `${spec.label} "${raw}" uses H (a random value), which is not supported; write the value explicitly`;
  }
  for (const part of raw.split(",")) {
    const step = /\/(\d+)$/.exec(part);
    if (step?.[1] !== undefined) {
      const size = Number(step[1]);
      if (size < 1 || size > spec.maxStep) return `${spec.label} step must be 1-${spec.maxStep} (got "${raw}")`;
    }
  }
  return null;
}

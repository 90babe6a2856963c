import { type CronExpression, CronExpressionParser } from "cron-parser";
import {
  CRON_SHORTCUTS,
  type CronFieldSpec,
  type CronProblem,
  describeFieldProblem,
  FIELD_LAYOUT,
  FIVE_FIELDS,
  findOwnFieldProblem,
  SIX_FIELDS,
} from "./cron-fields.ts";
import { TriggerValidationError } from "./trigger-errors.ts";
import { type WallMatcher, wallMatcherFor } from "./wall-matcher.ts";

/**
 * A validated cron expression, matched in wall-time space (see wall-clock.ts): everything runs
 * in UTC, where there is no daylight saving, so answers are exact and next/previous agree;
 * cron-trigger.ts maps them onto the job's zone.
 */
export class CompiledCron {
  readonly #expression: CronExpression;
  /** The fast path (wall-matcher.ts); cron-parser answers what it cannot reach in its scan limit. */
  readonly #matcher: WallMatcher;

  readonly source: string;
  /** The fields joined by single spaces, a shortcut such as @daily expanded. */
  readonly normalized: string;
  /** The hour field matches all 24 hours; cron-trigger.ts treats such schedules as following real time. */
  readonly everyHour: boolean;
  constructor(source: string, normalized: string, everyHour: boolean, expression: CronExpression) {
    this.source = source;
    this.normalized = normalized;
    this.everyHour = everyHour;
    this.#expression = expression;
    this.#matcher = wallMatcherFor(expression.fields);
  }

  /** First matching wall time strictly after `wall`, or null if there is none. */
  nextWallAfter(wall: number): number | null {
    return this.#matcher.nextAfter(wall) ?? this.#parserNextAfter(wall);
  }

  #parserNextAfter(wall: number): number | null {
    this.#expression.reset(new Date(wall));
    try {
      return this.#expression.next().getTime();
    } catch {
      return null; // cron-parser gives up after its loop limit: no match within reach
    }
  }

  /** Last matching wall time strictly before `wall`, or null if there is none. */
  lastWallBefore(wall: number): number | null {
    this.#expression.reset(new Date(wall));
    try {
      return this.#expression.prev().getTime();
    } catch {
      return null;
    }
  }
}

const CACHE_LIMIT = 20_000;
// Parsing costs ~150 µs and the dispatcher asks about up to 10,000 jobs a minute, mostly with a
// handful of distinct expressions. Rejections are cached too, so one bad row costs one parse.
const cache = new Map<string, CompiledCron | TriggerValidationError>();

/** Parses and validates once per distinct expression; throws TriggerValidationError (field cronExpr). */
export function compileCron(source: string): CompiledCron {
  let entry = cache.get(source);
  if (entry === undefined) {
    try {
      entry = compile(source);
    } catch (error) {
      if (!(error instanceof TriggerValidationError)) throw error;
      entry = error;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(source, entry);
  }
  if (entry instanceof TriggerValidationError) throw entry;
  return entry;
}

/** Throws TriggerValidationError unless `source` is a usable cron expression; returns it normalized. */
export function validateCronExpr(source: string): string {
  return compileCron(source).normalized;
}

function compile(source: string): CompiledCron {
  // The problem's own words travel as `detail`, its code and values as `detailCode` and the rest:
  // a client words both codes and may quote the words instead.
  const fail = (problem: CronProblem) =>
    new TriggerValidationError("cronExpr", `cronExpr "${source}": ${problem.text}`, "CRON_INVALID", {
      ...problem.params,
      expr: source,
      detail: problem.text,
      detailCode: problem.code,
    });
  const trimmed = source.trim();
  if (trimmed === "") throw new TriggerValidationError("cronExpr", `cronExpr is empty; expected ${FIELD_LAYOUT}`, "REQUIRED");

  let fields = trimmed.split(/\s+/);
  if (fields.length === 1 && trimmed.startsWith("@")) {
    const expanded = CRON_SHORTCUTS[trimmed.toLowerCase()];
    if (expanded === undefined) {
      const shortcuts = Object.keys(CRON_SHORTCUTS).join(", ");
      throw fail({ code: "CRON_SHORTCUT_UNKNOWN", params: { shortcuts }, text: `unknown shortcut; use one of ${shortcuts}, or write the fields` });
    }
    fields = expanded.split(" ");
  }
  const specs = fields.length === 5 ? FIVE_FIELDS : fields.length === 6 ? SIX_FIELDS : null;
  if (specs === null) throw fail({ code: "CRON_FIELD_COUNT", params: { count: fields.length }, text: `expected ${FIELD_LAYOUT}, got ${fields.length}` });

  fields.forEach((raw, i) => {
    const problem = findOwnFieldProblem(spec(specs, i), raw);
    if (problem !== null) throw fail(problem);
  });

  const normalized = fields.join(" ");
  let expression: CronExpression;
  try {
    expression = CronExpressionParser.parse(normalized, { tz: "UTC" });
  } catch (error) {
    throw fail(explainParseFailure(specs, fields, error));
  }
  const everyHour = expression.fields.hour.values.length === 24;
  return new CompiledCron(source, normalized, everyHour, expression);
}

/** cron-parser's errors do not say which field is wrong: parse each field alone to find it. */
function explainParseFailure(specs: readonly CronFieldSpec[], fields: string[], wholeError: unknown): CronProblem {
  for (let i = 0; i < fields.length; i++) {
    const alone = fields.map((raw, j) => (j === i ? raw : "*")).join(" ");
    try {
      CronExpressionParser.parse(alone, { tz: "UTC" });
    } catch (error) {
      return describeFieldProblem(spec(specs, i), fields[i] ?? "", messageOf(error));
    }
  }
  const message = messageOf(wholeError);
  if (/day of month definition/.test(message)) {
    const dayOfMonth = fields[specs.length - 3] ?? "";
    const month = fields[specs.length - 2] ?? "";
    return { code: "CRON_DAY_NEVER", params: { dayOfMonth, month }, text: `day of month "${dayOfMonth}" never occurs in month "${month}", so the job would never run` };
  }
  return { code: "CRON_PARSE_FAILED", params: { parserMessage: message }, text: `not a valid cron expression (${message})` };
}

function spec(specs: readonly CronFieldSpec[], i: number): CronFieldSpec {
  const found = specs[i];
  if (found === undefined) throw new RangeError(`no cron field at position ${i}`);
  return found;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

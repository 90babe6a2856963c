/**
 * The original validated and fired cron expressions with Python's croniter, which reads a sixth
 * field as SECONDS, LAST ("m h dom mon dow s"); ConnectHub reads six fields seconds FIRST
 * ("s m h dom mon dow"), like cron-parser. "0 *\/4 * * * 0" is every 4 hours there and every
 * 4 minutes on Sundays here. Five fields mean the same in both.
 */
import { compileCron, validateCronExpr } from "../triggers/cron-expression.ts";

export interface CronConversion {
  /** As stored in the original. */
  legacy: string;
  /** The same schedule in ConnectHub's convention. */
  converted: string;
}

/**
 * The expression croniter meant, written for ConnectHub: five fields unchanged; six fields with
 * the seconds moved first — or dropped when they are "0", since five fields then say the same and
 * read the same in both conventions. Seven fields (croniter's year) have no counterpart: returned
 * unchanged, for validation to reject.
 */
export function fromCroniter(expression: string): CronConversion | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) return null;
  const seconds = fields[5]!;
  const rest = fields.slice(0, 5);
  const converted = seconds === "0" ? rest.join(" ") : [seconds, ...rest].join(" ");
  return { legacy: expression.trim(), converted };
}

const PROBE_START = Date.UTC(2026, 0, 1);
const PROBE_COUNT = 12;

/** The next few matching wall times, or null when the expression is not valid here. */
function probe(expression: string): number[] | null {
  try {
    validateCronExpr(expression);
  } catch {
    return null;
  }
  const cron = compileCron(expression);
  const times: number[] = [];
  let at: number | null = PROBE_START;
  while (times.length < PROBE_COUNT && at !== null) {
    at = cron.nextWallAfter(at);
    if (at !== null) times.push(at);
  }
  return times;
}

/**
 * For a stored six-field expression: what croniter would have made of it, when that is a valid
 * schedule that fires at different times than ConnectHub's reading. Null when both agree or only
 * one reading exists.
 */
export function croniterReadsDifferently(expression: string): string | null {
  const conversion = fromCroniter(expression);
  if (!conversion || conversion.converted === expression.trim()) return null;
  const ours = probe(expression);
  const theirs = probe(conversion.converted);
  if (!ours || !theirs) return null;
  const same = ours.length === theirs.length && ours.every((t, i) => t === theirs[i]);
  return same ? null : conversion.converted;
}

import { describe, expect, it } from "vitest";
import { compileCron, validateCronExpr } from "./cron-expression.ts";
import { TriggerValidationError } from "./trigger-errors.ts";

function rejection(expr: string): TriggerValidationError {
  try {
    compileCron(expr);
  } catch (error) {
    if (error instanceof TriggerValidationError) return error;
    throw error;
  }
  throw new Error(`expected "${expr}" to be rejected`);
}

describe("validateCronExpr", () => {
  it.each([
    ["five standard fields", "*/5 9-17 * * 1-5", "*/5 9-17 * * 1-5"],
    ["six fields with seconds first", "30 0 9 * * *", "30 0 9 * * *"],
    ["month and weekday names", "0 9 * JAN-MAR MON,FRI", "0 9 * JAN-MAR MON,FRI"],
    ["a weekday name containing H", "0 9 * * THU", "0 9 * * THU"],
    ["last day of month and nth weekday", "0 0 L * *", "0 0 L * *"],
    ["a leap-day schedule", "0 0 29 2 *", "0 0 29 2 *"],
    ["extra whitespace, collapsed", "  0\t9  * * * ", "0 9 * * *"],
    ["a crontab shortcut, expanded", "@daily", "0 0 * * *"],
    ["a shortcut in capitals", "@HOURLY", "0 * * * *"],
  ])("accepts %s", (_what, expr, normalized) => {
    expect(validateCronExpr(expr)).toBe(normalized);
  });

  it.each([
    ["61 * * * *", 'cronExpr "61 * * * *": minute must be 0-59 (got "61")'],
    ["0 24 * * *", 'hour must be 0-23 (got "24")'],
    ["0 0 32 * *", 'day of month must be 1-31, or "L" for the last day (got "32")'],
    ["0 0 0 * *", 'day of month must be 1-31, or "L" for the last day (got "0")'],
    ["0 0 * 13 *", 'month must be 1-12 or JAN-DEC (got "13")'],
    ["0 0 * * 8", 'day of week must be 0-7 (0 and 7 are Sunday)'],
    ["60 0 9 * * *", 'second must be 0-59 (got "60")'],
    ["1-70 * * * *", 'minute must be 0-59 (got "1-70")'],
    ["-1 * * * *", 'minute must be 0-59 (got "-1")'],
    ["5-2 * * * *", 'minute range in "5-2" runs backwards'],
    ["1,x * * * *", 'minute "1,x" is not valid; use 0-59'],
    ["0 0 * * 1#6", 'day of week "#" must be followed by 1-5'],
    ["*/15,30 * * * *", 'minute "*/15,30" includes 30 more than once; list each value once'],
    ["0 0 * * SUN,7", 'day of week "SUN,7" includes 0 more than once (0 and 7 are both Sunday)'],
  ])("rejects the out-of-range or malformed field in %j, naming it", (expr, message) => {
    const error = rejection(expr);
    expect(error.field).toBe("cronExpr");
    expect(error.message).toContain(message);
  });

  it.each([
    ["seven fields", "0 0 9 * * * 2026", "got 7"],
    ["four fields", "* * * *", "got 4"],
    ["a single word", "garbage", "got 1"],
    ["an unknown shortcut", "@reboot", "unknown shortcut; use one of @yearly"],
  ])("rejects %s with the expected layout", (_what, expr, detail) => {
    const error = rejection(expr);
    expect(error.message).toContain(detail);
    expect(error.message).toContain(`cronExpr "${expr}"`);
  });

  it("rejects an empty expression", () => {
    expect(rejection("   ").message).toBe(
      "cronExpr is empty; expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first",
    );
  });

  // cron-parser accepts these silently; each would surprise the operator.
  it.each([
    ["*/61 * * * *", 'minute step must be 1-59 (got "*/61")'],
    ["0 0/30 * * *", 'hour step must be 1-23 (got "0/30")'],
    ["0 0 1 */13 *", 'month step must be 1-11 (got "*/13")'],
    ["*/0 * * * *", 'minute step must be 1-59 (got "*/0")'],
    ["H * * * *", 'minute "H" uses H (a random value), which is not supported'],
    ["0 0 * * H#3", 'day of week "H#3" uses H'],
  ])("rejects %j, which cron-parser would accept", (expr, message) => {
    expect(rejection(expr).message).toContain(message);
  });

  it("rejects a day that never occurs in the month", () => {
    expect(rejection("0 0 31 2 *").message).toBe(
      'cronExpr "0 0 31 2 *": day of month "31" never occurs in month "2", so the job would never run',
    );
  });

  it("reports errors as TriggerValidationError with a stable code", () => {
    const error = rejection("61 * * * *");
    expect(error).toBeInstanceOf(TriggerValidationError);
    expect(error.name).toBe("TriggerValidationError");
    expect(error.code).toBe("TRIGGER_INVALID");
  });
});

describe("compileCron", () => {
  it("parses each distinct expression once", () => {
    expect(compileCron("7 7 * * *")).toBe(compileCron("7 7 * * *"));
  });

  it("remembers a rejection and throws the same error again", () => {
    expect(rejection("99 * * * *")).toBe(rejection("99 * * * *"));
  });

  it.each([
    ["0 * * * *", true],
    ["*/10 * * * *", true],
    ["0 0-23 * * *", true],
    ["30 2 * * *", false],
    ["*/15 9-17 * * *", false],
    ["0 */2 * * *", false],
  ])("marks %j as following every hour: %s", (expr, everyHour) => {
    expect(compileCron(expr).everyHour).toBe(everyHour);
  });
});

// Each problem carries a stable code and the values it names (CRON_INVALID's detailCode and
// parameters): the admin words it in the user's language, the English detail staying the fallback.
describe("cron problems' codes", () => {
  it.each([
    ["61 * * * *", "CRON_OUT_OF_RANGE", { cronField: "minute", value: "61" }],
    ["0 25 * * *", "CRON_OUT_OF_RANGE", { cronField: "hour", value: "25" }],
    ["5-2 * * * *", "CRON_RANGE_BACKWARDS", { cronField: "minute", value: "5-2" }],
    ["1,x * * * *", "CRON_FIELD_INVALID", { cronField: "minute", value: "1,x" }],
    ["0 0 * * 1#6", "CRON_NTH_INVALID", { cronField: "dayOfWeek", value: "1#6" }],
    ["*/15,30 * * * *", "CRON_DUPLICATE", { cronField: "minute", value: "*/15,30", duplicate: "30" }],
    ["0 0/30 * * *", "CRON_STEP_RANGE", { cronField: "hour", value: "0/30", maxStep: 23 }],
    ["0 0 * * H#3", "CRON_HASH_UNSUPPORTED", { cronField: "dayOfWeek", value: "H#3" }],
    ["* * * *", "CRON_FIELD_COUNT", { count: 4 }],
    ["@reboot", "CRON_SHORTCUT_UNKNOWN", { shortcuts: expect.stringContaining("@daily") }],
    ["0 0 30 2 *", "CRON_DAY_NEVER", { dayOfMonth: "30", month: "2" }],
  ])("%j: %s", (expr, detailCode, params) => {
    const error = rejection(expr);
    expect(error.reason).toBe("CRON_INVALID");
    expect(error.params).toEqual({ expr, detail: expect.any(String), detailCode, ...params });
    // The English detail is the message's own words.
    expect(error.message).toBe(`cronExpr "${expr}": ${error.params.detail}`);
  });
});

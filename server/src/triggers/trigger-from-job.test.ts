import { describe, expect, it } from "vitest";
import { triggerFromJob, validateTrigger } from "./trigger-from-job.ts";
import { TriggerValidationError } from "./trigger-errors.ts";

const job = {
  triggerType: "CRON",
  cronExpr: "0 9 * * *",
  intervalSeconds: null,
  startAt: null,
  timezone: null,
};

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof TriggerValidationError) return error.field;
    throw error;
  }
  throw new Error("expected a TriggerValidationError");
}

describe("triggerFromJob", () => {
  it("builds a cron trigger in the server zone when the job has none", () => {
    expect(triggerFromJob(job, "UTC")).toEqual({ zone: "UTC", trigger: { type: "CRON", cronExpr: "0 9 * * *" } });
  });

  it("uses the job's own zone, and Asia/Shanghai when no server zone is passed", () => {
    expect(triggerFromJob({ ...job, timezone: "Europe/Berlin" }, "UTC").zone).toBe("Europe/Berlin");
    expect(triggerFromJob(job).zone).toBe("Asia/Shanghai");
  });

  it("builds an interval trigger anchored at startAt, ignoring a leftover cronExpr", () => {
    const startAt = new Date("2026-01-01T00:00:00Z");
    expect(triggerFromJob({ ...job, triggerType: "INTERVAL", intervalSeconds: 300, startAt }).trigger).toEqual({
      type: "INTERVAL",
      intervalSeconds: 300,
      startAt,
    });
  });

  it("builds a date trigger that runs at startAt", () => {
    const startAt = new Date("2026-06-01T08:00:00Z");
    expect(triggerFromJob({ ...job, triggerType: "DATE", cronExpr: null, startAt }).trigger).toEqual({ type: "DATE", runAt: startAt });
  });

  it.each([
    ["an unknown trigger type", { triggerType: "WEEKLY" }, "triggerType"],
    ["a CRON job without an expression", { cronExpr: null }, "cronExpr"],
    ["a bad expression", { cronExpr: "61 * * * *" }, "cronExpr"],
    ["an INTERVAL job without seconds", { triggerType: "INTERVAL", startAt: new Date() }, "intervalSeconds"],
    ["an INTERVAL job without an anchor", { triggerType: "INTERVAL", intervalSeconds: 60 }, "startAt"],
    ["a zero interval", { triggerType: "INTERVAL", intervalSeconds: 0, startAt: new Date() }, "intervalSeconds"],
    ["a DATE job without an instant", { triggerType: "DATE" }, "startAt"],
    ["an invalid date", { triggerType: "DATE", startAt: new Date("nope") }, "startAt"],
    ["an unknown zone", { timezone: "Asia/Shang" }, "timezone"],
  ])("names the field for %s", (_what, change, field) => {
    expect(fieldOf(() => triggerFromJob({ ...job, ...change }))).toBe(field);
  });

  it("says what is missing in a way an operator can act on", () => {
    expect(() => triggerFromJob({ ...job, triggerType: "INTERVAL" })).toThrow(
      "intervalSeconds is required when triggerType is INTERVAL: the number of seconds between runs",
    );
    expect(() => triggerFromJob({ ...job, triggerType: "WEEKLY" })).toThrow('triggerType "WEEKLY" is not one of CRON, INTERVAL, DATE');
  });
});

describe("validateTrigger", () => {
  it("returns a valid trigger unchanged", () => {
    const trigger = { type: "CRON", cronExpr: "*/5 * * * *" } as const;
    expect(validateTrigger(trigger)).toBe(trigger);
  });

  it("rejects an interval with a fractional number of seconds", () => {
    expect(fieldOf(() => validateTrigger({ type: "INTERVAL", intervalSeconds: 2.5, startAt: new Date() }))).toBe("intervalSeconds");
  });
});

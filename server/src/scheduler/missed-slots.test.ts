import { describe, expect, it } from "vitest";
import { decideMisfires, missedSlots } from "./missed-slots.ts";
import { PlanWindow } from "./plan-window.ts";
import type { JobDefinition } from "../triggers/job-definitions.ts";
import { triggerFromJob } from "../triggers/index.ts";

const minutely = triggerFromJob({ triggerType: "CRON", cronExpr: "* * * * *" }, "UTC");
const t = (iso: string) => new Date(iso);

describe("missed slots", () => {
  it("lists the newest missed slots first, bounded, and counts the rest", () => {
    const missed = missedSlots(minutely, t("2026-01-01T10:00:00Z"), t("2026-01-01T10:30:30Z"), 3)!;
    expect(missed.newest.map((d) => d.toISOString())).toEqual(["2026-01-01T10:30:00.000Z", "2026-01-01T10:29:00.000Z", "2026-01-01T10:28:00.000Z"]);
    expect(missed.total).toBe(30);
  });

  it("catches up only the latest, and only within the grace window", () => {
    const missed = missedSlots(minutely, t("2026-01-01T10:00:00Z"), t("2026-01-01T10:05:00Z"), 10)!;
    const within = decideMisfires(missed, t("2026-01-01T10:05:20Z"), 300);
    expect(within.catchUp?.toISOString()).toBe("2026-01-01T10:05:00.000Z");
    expect(within.skipped).toHaveLength(4);
    const tooLate = decideMisfires(missed, t("2026-01-01T11:00:00Z"), 300);
    expect(tooLate.catchUp).toBeNull();
    expect(tooLate.skipped).toHaveLength(5);
  });

  it("finds nothing when the baseline is at or after the horizon", () => {
    expect(missedSlots(minutely, t("2026-01-01T10:05:00Z"), t("2026-01-01T10:05:00Z"))).toBeNull();
  });
});

describe("plan window", () => {
  const job = (over: Partial<JobDefinition> = {}): JobDefinition => ({
    id: "j",
    enabled: true,
    triggerType: "CRON",
    cronExpr: "*/10 * * * * *",
    intervalSeconds: null,
    startAt: null,
    timezone: null,
    completedAt: null,
    allowOverlap: false,
    misfireGraceSeconds: 300,
    createdAt: t("2026-01-01T00:00:00Z"),
    updatedAt: t("2026-01-01T00:00:00Z"),
    ...over,
  });

  it("plans each slot once across passes and never plans the past", () => {
    const w = new PlanWindow("UTC");
    const first = w.plan([job()], t("2026-01-01T10:00:05Z"), t("2026-01-01T10:00:25Z"));
    expect(first.slots.map((s) => s.at.toISOString())).toEqual(["2026-01-01T10:00:10.000Z", "2026-01-01T10:00:20.000Z"]);
    const second = w.plan([job()], t("2026-01-01T10:00:07Z"), t("2026-01-01T10:00:27Z"));
    expect(second.slots).toEqual([]);
    // A stalled pass: the slots already due are the misfire sweep's, not planned as normal fires.
    const late = w.plan([job()], t("2026-01-01T10:05:00Z"), t("2026-01-01T10:05:15Z"));
    expect(late.slots.map((s) => s.at.toISOString())).toEqual(["2026-01-01T10:05:10.000Z"]);
  });

  it("reports edited and vanished jobs as changed", () => {
    const w = new PlanWindow("UTC");
    w.plan([job()], t("2026-01-01T10:00:00Z"), t("2026-01-01T10:00:20Z"));
    expect(w.plan([job({ cronExpr: "0 * * * * *" })], t("2026-01-01T10:00:02Z"), t("2026-01-01T10:00:22Z")).changed).toEqual(["j"]);
    expect(w.plan([], t("2026-01-01T10:00:04Z"), t("2026-01-01T10:00:24Z")).changed).toEqual(["j"]);
  });
});

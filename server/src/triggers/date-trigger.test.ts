import { describe, expect, it } from "vitest";
import { latestSlotAtOrBefore, nextFireTimes, slotsInWindow } from "./slots.ts";
import type { DateTrigger } from "./trigger.ts";

const at = (iso: string): DateTrigger => ({ type: "DATE", runAt: new Date(iso) });

describe("date trigger", () => {
  it("has one next fire time while its instant is in the future, however many are asked for", () => {
    expect(nextFireTimes(at("2026-05-01T08:00:00Z"), "UTC", new Date("2026-04-30T00:00:00Z"), 5).map((d) => d.toISOString())).toEqual([
      "2026-05-01T08:00:00.000Z",
    ]);
  });

  it("has none once its instant has passed, or is exactly now", () => {
    expect(nextFireTimes(at("2026-05-01T08:00:00Z"), "UTC", new Date("2026-05-01T08:00:00Z"), 5)).toEqual([]);
  });

  it("offers its slot only to the window that contains it", () => {
    const trigger = at("2026-05-01T08:00:00Z");
    expect(slotsInWindow(trigger, "UTC", new Date("2026-05-01T07:59:00Z"), new Date("2026-05-01T08:00:00Z"), 10).slots).toEqual([
      new Date("2026-05-01T08:00:00Z"),
    ]);
    expect(slotsInWindow(trigger, "UTC", new Date("2026-05-01T08:00:00Z"), new Date("2026-05-01T08:01:00Z"), 10).slots).toEqual([]);
  });

  it("reports its instant as the latest slot only once it is reached", () => {
    const trigger = at("2026-05-01T08:00:00Z");
    expect(latestSlotAtOrBefore(trigger, "UTC", new Date("2026-05-01T08:00:00Z"))?.toISOString()).toBe("2026-05-01T08:00:00.000Z");
    expect(latestSlotAtOrBefore(trigger, "UTC", new Date("2026-05-01T07:59:59Z"))).toBeNull();
  });
});

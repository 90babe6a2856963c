import { describe, expect, it } from "vitest";
import { validateIntervalSeconds } from "./interval-trigger.ts";
import { latestSlotAtOrBefore, nextFireTimes, slotsInWindow } from "./slots.ts";
import type { IntervalTrigger } from "./trigger.ts";
import { TriggerValidationError } from "./trigger-errors.ts";

const every = (intervalSeconds: number, startAt: string): IntervalTrigger => ({
  type: "INTERVAL",
  intervalSeconds,
  startAt: new Date(startAt),
});
const isoOf = (dates: Date[]) => dates.map((d) => d.toISOString());

describe("interval slots", () => {
  it("are the anchor plus whole intervals, strictly after the given instant", () => {
    const trigger = every(90, "2026-01-01T00:00:10Z");
    expect(isoOf(nextFireTimes(trigger, "UTC", new Date("2026-01-01T00:01:40Z"), 3))).toEqual([
      "2026-01-01T00:03:10.000Z",
      "2026-01-01T00:04:40.000Z",
      "2026-01-01T00:06:10.000Z",
    ]);
  });

  it("start at the anchor itself when asked from before it", () => {
    expect(isoOf(nextFireTimes(every(60, "2026-01-01T00:00:00Z"), "UTC", new Date("2025-12-01T00:00:00Z"), 2))).toEqual([
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T00:01:00.000Z",
    ]);
  });

  it("exclude a slot equal to the window start and include one equal to its end", () => {
    const window = slotsInWindow(every(60, "2026-01-01T00:00:00Z"), "UTC", new Date("2026-01-01T00:01:00Z"), new Date("2026-01-01T00:03:00Z"), 10);
    expect(isoOf(window.slots)).toEqual(["2026-01-01T00:02:00.000Z", "2026-01-01T00:03:00.000Z"]);
  });

  it("ignore the zone and daylight saving: an hourly interval stays 3600 s apart across fall-back", () => {
    const trigger = every(3600, "2026-11-01T00:00:00Z");
    const slots = nextFireTimes(trigger, "America/New_York", new Date("2026-11-01T04:30:00Z"), 4);
    expect(isoOf(slots)).toEqual(isoOf(nextFireTimes(trigger, "Asia/Shanghai", new Date("2026-11-01T04:30:00Z"), 4)));
    expect(slots.slice(1).map((slot, i) => slot.getTime() - (slots[i]?.getTime() ?? 0))).toEqual([3_600_000, 3_600_000, 3_600_000]);
  });

  it("report the latest slot at or before an instant, and none before the anchor", () => {
    const trigger = every(600, "2026-01-01T00:00:00Z");
    expect(latestSlotAtOrBefore(trigger, "UTC", new Date("2026-01-01T00:25:00Z"))?.toISOString()).toBe("2026-01-01T00:20:00.000Z");
    expect(latestSlotAtOrBefore(trigger, "UTC", new Date("2026-01-01T00:20:00Z"))?.toISOString()).toBe("2026-01-01T00:20:00.000Z");
    expect(latestSlotAtOrBefore(trigger, "UTC", new Date("2025-12-31T23:59:59Z"))).toBeNull();
  });
});

describe("validateIntervalSeconds", () => {
  it.each([1, 60, 366 * 86_400])("accepts %d", (seconds) => {
    expect(validateIntervalSeconds(seconds)).toBe(seconds);
  });

  it.each([0, -5, 1.5, Number.NaN, 366 * 86_400 + 1])("rejects %d, naming the field and the allowed range", (seconds) => {
    expect(() => validateIntervalSeconds(seconds)).toThrow(TriggerValidationError);
    expect(() => validateIntervalSeconds(seconds)).toThrow(
      `intervalSeconds must be a whole number of seconds from 1 to 31622400 (366 days) (got ${seconds})`,
    );
  });
});

import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { latestSlotAtOrBefore, nextFireTimes, slotsInWindow } from "./slots.ts";
import type { CronTrigger } from "./trigger.ts";

// Every expectation is a UTC instant, so nothing here depends on the TZ of the test process.

const NEW_YORK = "America/New_York";
const cron = (cronExpr: string): CronTrigger => ({ type: "CRON", cronExpr });
const utc = (iso: string) => new Date(iso);
const isoOf = (dates: Date[]) => dates.map((d) => d.toISOString());
const local = (date: Date, zone: string) => DateTime.fromJSDate(date, { zone }).toFormat("yyyy-MM-dd HH:mm ZZZZ");

/** Every slot in [from, to), gathered the way the dispatcher does: one window per minute. */
function slotsByMinuteWindows(trigger: CronTrigger, zone: string, from: Date, to: Date): Date[] {
  const slots: Date[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += 60_000) {
    slots.push(...slotsInWindow(trigger, zone, new Date(t - 1), new Date(t + 60_000 - 1), 1000).slots);
  }
  return slots;
}

function countByLocalDate(slots: Date[], zone: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const slot of slots) {
    const day = DateTime.fromJSDate(slot, { zone }).toISODate() ?? "";
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return counts;
}

describe("cron in Asia/Shanghai (no daylight saving)", () => {
  it("fires 09:00 local at 01:00Z", () => {
    expect(isoOf(nextFireTimes(cron("0 9 * * *"), "Asia/Shanghai", utc("2026-01-01T00:00:00Z"), 3))).toEqual([
      "2026-01-01T01:00:00.000Z",
      "2026-01-02T01:00:00.000Z",
      "2026-01-03T01:00:00.000Z",
    ]);
  });

  it("reads weekdays in the job's zone, not in UTC", () => {
    // Monday 2026-01-05 07:00 in Shanghai is still Sunday 23:00 in UTC.
    expect(isoOf(nextFireTimes(cron("0 7 * * 1"), "Asia/Shanghai", utc("2026-01-01T00:00:00Z"), 1))).toEqual([
      "2026-01-04T23:00:00.000Z",
    ]);
  });

  it("supports seconds in the six-field form", () => {
    expect(isoOf(nextFireTimes(cron("*/20 0 9 * * *"), "Asia/Shanghai", utc("2026-01-01T00:00:00Z"), 3))).toEqual([
      "2026-01-01T01:00:00.000Z",
      "2026-01-01T01:00:20.000Z",
      "2026-01-01T01:00:40.000Z",
    ]);
  });
});

describe("spring forward (America/New_York, 2026-03-08 02:00 EST → 03:00 EDT)", () => {
  it("fires a skipped wall time once, at the first instant after the gap", () => {
    const slots = nextFireTimes(cron("30 2 * * *"), NEW_YORK, utc("2026-03-06T12:00:00Z"), 4);
    expect(isoOf(slots)).toEqual([
      "2026-03-07T07:30:00.000Z",
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T06:30:00.000Z",
      "2026-03-10T06:30:00.000Z",
    ]);
    expect(local(slots[1] ?? new Date(NaN), NEW_YORK)).toBe("2026-03-08 03:00 EDT");
  });

  it("fires several skipped times of one schedule once together, not once each", () => {
    expect(isoOf(nextFireTimes(cron("*/15 2-3 * * *"), NEW_YORK, utc("2026-03-08T05:00:00Z"), 5))).toEqual([
      "2026-03-08T07:00:00.000Z", // 02:00, 02:15, 02:30, 02:45 and 03:00 itself
      "2026-03-08T07:15:00.000Z",
      "2026-03-08T07:30:00.000Z",
      "2026-03-08T07:45:00.000Z",
      "2026-03-09T06:00:00.000Z",
    ]);
  });

  it("keeps an hourly schedule on real hours: nothing for the skipped hour", () => {
    expect(isoOf(nextFireTimes(cron("0 * * * *"), NEW_YORK, utc("2026-03-08T05:30:00Z"), 3))).toEqual([
      "2026-03-08T06:00:00.000Z", // 01:00 EST
      "2026-03-08T07:00:00.000Z", // 03:00 EDT, one real hour later
      "2026-03-08T08:00:00.000Z",
    ]);
  });

  it("does not make up a skipped time for an hourly schedule: :30 jumps from 01:30 EST to 03:30 EDT", () => {
    expect(isoOf(nextFireTimes(cron("30 * * * *"), NEW_YORK, utc("2026-03-08T06:00:00Z"), 2))).toEqual([
      "2026-03-08T06:30:00.000Z",
      "2026-03-08T07:30:00.000Z",
    ]);
  });

  it("handles a zone that moves its clocks by 30 minutes (Australia/Lord_Howe)", () => {
    // 2026-10-04 02:00 +10:30 → 02:30 +11:00, so 02:15 does not exist that day.
    expect(isoOf(nextFireTimes(cron("15 2 * * *"), "Australia/Lord_Howe", utc("2026-10-03T00:00:00Z"), 2))).toEqual([
      "2026-10-03T15:30:00.000Z",
      "2026-10-04T15:15:00.000Z",
    ]);
  });

  it("handles a zone whose gap starts at 01:00 (Europe/London)", () => {
    expect(isoOf(nextFireTimes(cron("30 1 * * *"), "Europe/London", utc("2026-03-28T12:00:00Z"), 2))).toEqual([
      "2026-03-29T01:00:00.000Z", // 02:00 BST, the first instant after 01:00 GMT jumps
      "2026-03-30T00:30:00.000Z",
    ]);
  });
});

describe("fall back (America/New_York, 2026-11-01 02:00 EDT → 01:00 EST)", () => {
  it("fires a repeated wall time once, on its first pass", () => {
    const slots = nextFireTimes(cron("30 1 * * *"), NEW_YORK, utc("2026-10-31T12:00:00Z"), 2);
    expect(isoOf(slots)).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
    expect(local(slots[0] ?? new Date(NaN), NEW_YORK)).toBe("2026-11-01 01:30 EDT");
  });

  it("does not fire the second pass when asked from inside the repeated hour", () => {
    // 06:10Z is 01:10 EST: 01:30 has already fired at 05:30Z in this local day.
    expect(isoOf(nextFireTimes(cron("30 1 * * *"), NEW_YORK, utc("2026-11-01T06:10:00Z"), 1))).toEqual([
      "2026-11-02T06:30:00.000Z",
    ]);
    expect(slotsInWindow(cron("30 1 * * *"), NEW_YORK, utc("2026-11-01T06:29:00Z"), utc("2026-11-01T06:30:00Z"), 10).slots).toEqual([]);
  });

  it("fires an hourly schedule on every real hour, both passes of 01:00 included", () => {
    const slots = nextFireTimes(cron("0 * * * *"), NEW_YORK, utc("2026-11-01T03:30:00Z"), 6);
    expect(isoOf(slots)).toEqual([
      "2026-11-01T04:00:00.000Z",
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T06:00:00.000Z",
      "2026-11-01T07:00:00.000Z",
      "2026-11-01T08:00:00.000Z",
      "2026-11-01T09:00:00.000Z",
    ]);
    expect(slots.map((slot) => local(slot, NEW_YORK).slice(11))).toEqual([
      "00:00 EDT",
      "01:00 EDT",
      "01:00 EST",
      "02:00 EST",
      "03:00 EST",
      "04:00 EST",
    ]);
  });

  it("keeps a sub-hourly schedule in order through the repeated hour", () => {
    const slots = nextFireTimes(cron("*/30 * * * *"), NEW_YORK, utc("2026-11-01T04:50:00Z"), 6);
    expect(isoOf(slots)).toEqual([
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T05:30:00.000Z",
      "2026-11-01T06:00:00.000Z",
      "2026-11-01T06:30:00.000Z",
      "2026-11-01T07:00:00.000Z",
      "2026-11-01T07:30:00.000Z",
    ]);
  });

  it("fires a wall-clock schedule with listed hours only on the first pass (Australia/Lord_Howe, 30 minutes)", () => {
    // 2026-04-05 02:00 +11:00 → 01:30 +10:30: 01:45 happens twice.
    expect(isoOf(nextFireTimes(cron("45 1 * * *"), "Australia/Lord_Howe", utc("2026-04-04T00:00:00Z"), 2))).toEqual([
      "2026-04-04T14:45:00.000Z",
      "2026-04-05T15:15:00.000Z",
    ]);
  });
});

describe("a daily schedule through a whole year of New York time", () => {
  it.each(["30 2 * * *", "30 1 * * *", "0 2 * * *", "59 1 * * *"])("%j fires exactly once on every local day", (expr) => {
    const slots = nextFireTimes(cron(expr), NEW_YORK, utc("2026-01-01T12:00:00Z"), 365);
    const counts = countByLocalDate(slots, NEW_YORK);
    expect(counts.size).toBe(365);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});

describe("windows agree with the unbounded iteration", () => {
  // The dispatcher sees only consecutive windows; they must offer each slot exactly once.
  it.each([
    ["30 2 * * *", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z"],
    ["*/20 2-3 * * *", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z"],
    ["30 1 * * *", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z"],
    ["*/15 1 * * *", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z"],
    ["0 * * * *", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z"],
    ["*/7 * * * *", "2026-10-31T18:00:00Z", "2026-11-01T12:00:00Z"],
    ["*/7 * * * *", "2026-03-07T18:00:00Z", "2026-03-08T12:00:00Z"],
  ])("%j from %s to %s", (expr, fromIso, toIso) => {
    const from = utc(fromIso);
    const to = utc(toIso);
    const byWindows = slotsByMinuteWindows(cron(expr), NEW_YORK, from, to);
    const unbounded = nextFireTimes(cron(expr), NEW_YORK, new Date(from.getTime() - 1), byWindows.length + 1);
    expect(isoOf(byWindows)).toEqual(isoOf(unbounded.slice(0, -1)));
    expect(unbounded.at(-1)?.getTime()).toBeGreaterThanOrEqual(to.getTime());
    expect(new Set(isoOf(byWindows)).size).toBe(byWindows.length);
    expect(byWindows.length).toBeGreaterThan(0);
  });
});

describe("latestSlotAtOrBefore for cron", () => {
  it.each([
    ["30 2 * * *", "2026-03-08T12:00:00Z", "2026-03-08T07:00:00.000Z"],
    ["30 1 * * *", "2026-11-01T07:00:00Z", "2026-11-01T05:30:00.000Z"],
    ["*/30 * * * *", "2026-11-01T06:10:00Z", "2026-11-01T06:00:00.000Z"],
    ["0 9 * * *", "2026-01-01T01:00:00Z", "2026-01-01T01:00:00.000Z"],
  ])("%j at %s is %s", (expr, at, expected) => {
    const zone = expr === "0 9 * * *" ? "Asia/Shanghai" : NEW_YORK;
    expect(latestSlotAtOrBefore(cron(expr), zone, utc(at))?.toISOString()).toBe(expected);
  });

  it("is the slot just before the next one, at every minute across both transitions", () => {
    for (const expr of ["*/20 * * * *", "45 1,2 * * *"]) {
      for (const start of ["2026-03-08T04:00:00Z", "2026-11-01T03:00:00Z"]) {
        for (let t = utc(start).getTime(); t < utc(start).getTime() + 6 * 3_600_000; t += 60_000) {
          const at = new Date(t);
          const latest = latestSlotAtOrBefore(cron(expr), NEW_YORK, at);
          expect(latest).not.toBeNull();
          expect(latest?.getTime()).toBeLessThanOrEqual(t);
          const following = nextFireTimes(cron(expr), NEW_YORK, latest ?? at, 1)[0];
          expect(following?.getTime()).toBeGreaterThan(t);
        }
      }
    }
  });
});

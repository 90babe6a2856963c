import { describe, expect, it } from "vitest";
import { parseWallTimeText, wallTextToInstant, wallTimeText } from "./wall-time-text.ts";

describe("filter date-times typed as text", () => {
  it("reads a day, a minute or a second, in year-month-day order", () => {
    expect(parseWallTimeText("2026-11-29")).toBe("2026-11-29T00:00");
    expect(parseWallTimeText("2026-11-29", true)).toBe("2026-11-29T23:59:59");
    expect(parseWallTimeText(" 2026-1-5 8:05 ")).toBe("2026-01-05T08:05");
    expect(parseWallTimeText("2026-11-29 14:30:15")).toBe("2026-11-29T14:30:15");
    expect(parseWallTimeText("2026-11-29T14:30")).toBe("2026-11-29T14:30");
  });

  it("is empty for nothing typed and refuses what is not a date-time", () => {
    expect(parseWallTimeText("  ")).toBeNull();
    for (const bad of ["11/29/2026", "2026-02-30", "2026-11-29 24:00", "yesterday"]) expect(parseWallTimeText(bad), bad).toBe("invalid");
  });

  it("shows a stored value the way it is typed", () => {
    expect(wallTimeText("2026-11-29T14:30")).toBe("2026-11-29 14:30");
    expect(wallTimeText(undefined)).toBe("");
  });
});

describe("typed date-times as instants", () => {
  it("reads the text in the given zone, and says when it cannot", () => {
    expect(wallTextToInstant("2035-01-02 08:00", "Asia/Shanghai")).toBe("2035-01-02T00:00:00.000Z");
    expect(wallTextToInstant("2035-07-02 08:00:30", "America/New_York")).toBe("2035-07-02T12:00:30.000Z");
    expect(wallTextToInstant("", "UTC")).toBeNull();
    expect(wallTextToInstant("02/01/2035", "UTC")).toBe("invalid");
  });
});

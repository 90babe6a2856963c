import { describe, expect, it } from "vitest";
import { formatDuration, formatInstant, instantToWallTime, utf8Length, wallTimeToInstant } from "./format.ts";

describe("formatInstant", () => {
  it("shows the instant in the server zone with its offset, not the browser's", () => {
    expect(formatInstant("2025-03-01T00:00:00Z", "Asia/Shanghai")).toBe("2025-03-01 08:00:00 +08:00");
    expect(formatInstant("2025-07-01T12:30:05Z", "America/New_York")).toBe("2025-07-01 08:30:05 -04:00");
    expect(formatInstant("2025-01-01T00:00:00Z", "UTC")).toBe("2025-01-01 00:00:00 +00:00");
    expect(formatInstant("2025-01-01T00:00:00Z", "Asia/Kolkata")).toBe("2025-01-01 05:30:00 +05:30");
  });

  it("shows nothing for a missing instant", () => {
    expect(formatInstant(null, "UTC")).toBe("");
    expect(formatInstant("not a date", "UTC")).toBe("");
  });
});

describe("formatDuration", () => {
  it("picks a unit a person reads at a glance", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_340)).toBe("12.3 s");
    expect(formatDuration(245_000)).toBe("4 min 05 s");
    expect(formatDuration(7_380_000)).toBe("2 h 03 min");
  });
});

describe("utf8Length", () => {
  it("counts bytes like the server's run-log offsets", () => {
    for (const s of ["abc", "同步完成", "emoji 🚀 ok", ""]) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });
});

describe("wall times in the server zone", () => {
  it("reads a datetime-local value in the given zone", () => {
    expect(wallTimeToInstant("2025-03-01T08:00", "Asia/Shanghai")).toBe("2025-03-01T00:00:00.000Z");
    expect(wallTimeToInstant("2025-07-01T08:30", "America/New_York")).toBe("2025-07-01T12:30:00.000Z");
    expect(wallTimeToInstant("nope", "UTC")).toBeNull();
  });

  it("round-trips an instant to the input's wall time", () => {
    expect(instantToWallTime("2025-03-01T00:00:00Z", "Asia/Shanghai")).toBe("2025-03-01T08:00");
  });
});

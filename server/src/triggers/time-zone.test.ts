import { describe, expect, it } from "vitest";
import { assertValidTimeZone, DEFAULT_TIME_ZONE, isValidTimeZone, resolveTimeZone } from "./time-zone.ts";
import { TriggerValidationError } from "./trigger-errors.ts";

describe("isValidTimeZone", () => {
  it.each(["Asia/Shanghai", "America/New_York", "UTC", "Etc/GMT-8", "Australia/Lord_Howe"])("accepts %s", (name) => {
    expect(isValidTimeZone(name)).toBe(true);
  });

  it.each(["Asia/Shang", "", " Asia/Shanghai", "UTC+8", "+08:00", "local"])("rejects %j", (name) => {
    expect(isValidTimeZone(name)).toBe(false);
  });
});

describe("assertValidTimeZone", () => {
  it("names the field and the bad value", () => {
    expect(() => assertValidTimeZone("Asia/Shang")).toThrow(TriggerValidationError);
    expect(() => assertValidTimeZone("Asia/Shang")).toThrow('timezone "Asia/Shang" is not a known IANA time zone');
    try {
      assertValidTimeZone("Asia/Shang");
    } catch (error) {
      expect((error as TriggerValidationError).field).toBe("timezone");
    }
  });
});

describe("resolveTimeZone", () => {
  it("uses the job's zone when it has one", () => {
    expect(resolveTimeZone("Europe/Berlin", "UTC")).toBe("Europe/Berlin");
  });

  it.each([null, undefined, ""])("falls back to the server zone for %j", (jobZone) => {
    expect(resolveTimeZone(jobZone, "UTC")).toBe("UTC");
  });

  it("defaults to Asia/Shanghai when no server zone is given", () => {
    expect(resolveTimeZone(null)).toBe("Asia/Shanghai");
    expect(DEFAULT_TIME_ZONE).toBe("Asia/Shanghai");
  });

  it("rejects an unknown job zone rather than falling back", () => {
    expect(() => resolveTimeZone("Mars/Olympus", "UTC")).toThrow('timezone "Mars/Olympus"');
  });
});

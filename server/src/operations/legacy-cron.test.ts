import { describe, expect, it } from "vitest";
import { croniterReadsDifferently, fromCroniter } from "./legacy-cron.ts";

describe("croniter's six-field expressions (seconds last)", () => {
  it("a seconds field of 0 is dropped: five fields say the same and read the same everywhere", () => {
    expect(fromCroniter("0 */4 * * * 0")).toEqual({ legacy: "0 */4 * * * 0", converted: "0 */4 * * *" });
  });

  it("any other seconds field moves first, ConnectHub's six-field form", () => {
    expect(fromCroniter("*/10 * * * * 30")?.converted).toBe("30 */10 * * * *");
  });

  it("five fields are not converted", () => {
    expect(fromCroniter("*/5 * * * *")).toBeNull();
  });

  it("flags a stored expression whose meaning differs between the conventions", () => {
    // Seconds-first: every 4 minutes on Sundays; croniter: at minute 0 of every 4th hour.
    expect(croniterReadsDifferently("0 */4 * * * 0")).toBe("0 */4 * * *");
  });

  it("does not flag expressions both conventions read alike, or that croniter could not read", () => {
    expect(croniterReadsDifferently("* * * * * *")).toBeNull();
    expect(croniterReadsDifferently("0 */4 * * *")).toBeNull();
    // Read seconds-last, "45" lands in the day-of-week field: not a schedule croniter accepts.
    expect(croniterReadsDifferently("0 0 0 * * 45")).toBeNull();
  });
});

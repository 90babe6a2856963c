import { beforeEach, describe, expect, it } from "vitest";
import { setLocale } from "../stores/i18n.ts";
import { describeCron, describeInterval, describeTrigger } from "./trigger-words.ts";

describe("trigger in words", () => {
  beforeEach(() => setLocale("en"));

  it("reads cron expressions in words, 24-hour times, seconds field included", () => {
    expect(describeCron("* * * * *")).toBe("Every minute");
    expect(describeCron("*/5 * * * *")).toBe("Every 5 minutes");
    expect(describeCron("30 9 * * *")).toBe("At 09:30");
    expect(describeCron("0 8 * * 1-5")).toBe("At 08:00, Monday through Friday");
    expect(describeCron("0 0 1 1 *")).toBe("At 00:00, on day 1 of the month, only in January");
    expect(describeCron("*/10 * * * * *")).toBe("Every 10 seconds");
  });

  it("shows an expression it cannot read as it is", () => {
    expect(describeCron("every day")).toBe("Cron every day");
  });

  it("reads intervals in their largest whole unit", () => {
    expect(describeInterval(90)).toBe("Every 90 seconds");
    expect(describeInterval(600)).toBe("Every 10 minutes");
    expect(describeInterval(7200)).toBe("Every 2 hours");
  });

  it("is in Chinese when Chinese is chosen", () => {
    setLocale("zh-CN");
    expect(describeCron("0 8 * * 1-5")).toBe("在08:00, 星期一至星期五");
    expect(describeTrigger({ triggerType: "DATE", startAt: "x" }, () => "2025-01-01 00:00:00 +08:00")).toBe("仅一次:2025-01-01 00:00:00 +08:00");
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { setLocale } from "../stores/i18n.ts";
import { describeCron, describeInterval, describeTrigger } from "./trigger-words.ts";

describe("trigger in words", () => {
  beforeEach(() => setLocale("en"));

  it("reads common cron shapes", () => {
    expect(describeCron("* * * * *")).toBe("Every minute");
    expect(describeCron("*/5 * * * *")).toBe("Every 5 minutes");
    expect(describeCron("7 * * * *")).toBe("Every hour at :07");
    expect(describeCron("30 9 * * *")).toBe("Every day at 09:30");
    expect(describeCron("0 8 * * 1-5")).toBe("Every Mon, Tue, Wed, Thu, Fri at 08:00");
    expect(describeCron("0 2 1 * *")).toBe("On day 1 of every month at 02:00");
  });

  it("shows unusual expressions as they are", () => {
    expect(describeCron("0 0 1 1 *")).toBe("Cron 0 0 1 1 *");
  });

  it("reads intervals in their largest whole unit", () => {
    expect(describeInterval(90)).toBe("Every 90 seconds");
    expect(describeInterval(600)).toBe("Every 10 minutes");
    expect(describeInterval(7200)).toBe("Every 2 hours");
  });

  it("is in Chinese when Chinese is chosen", () => {
    setLocale("zh-CN");
    expect(describeCron("30 9 * * *")).toBe("每天 09:30");
    expect(describeTrigger({ triggerType: "DATE", startAt: "x" }, () => "2025-01-01 00:00:00 +08:00")).toBe("仅一次:2025-01-01 00:00:00 +08:00");
  });
});

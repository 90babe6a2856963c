import { describe, expect, it } from "vitest";
import { stackBuckets, STACK_ORDER } from "./run-series.ts";

describe("stackBuckets", () => {
  it("stacks each status on the ones below it and keeps the raw counts for the legend", () => {
    const series = stackBuckets([
      { start: "2026-11-29T00:00:00.000Z", counts: [{ status: "FAILURE", count: 2 }, { status: "SUCCESS", count: 5 }] },
      { start: "2026-11-29T01:00:00.000Z", counts: [{ status: "QUEUED", count: 1 }] },
    ]);
    expect(series.xs).toEqual([Date.UTC(2026, 10, 29) / 1000, Date.UTC(2026, 10, 29, 1) / 1000]);
    const row = (status: string) => STACK_ORDER.indexOf(status as never);
    expect(series.raw[row("FAILURE")]).toEqual([2, 0]);
    expect(series.stacked[row("SUCCESS")]).toEqual([5, 0]);
    expect(series.stacked[row("FAILURE")]).toEqual([7, 0]);
    // The top segment reaches the bucket's total.
    expect(series.stacked[STACK_ORDER.length - 1]).toEqual([7, 1]);
  });
});

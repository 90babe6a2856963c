import { describe, expect, it } from "vitest";
import { mapLimit } from "./map-limit.ts";

describe("mapLimit", () => {
  it("keeps at most `limit` calls in flight and runs every item", async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setImmediate(r));
      done.push(n);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("rejects with the first error only after every item has settled", async () => {
    const settled: number[] = [];
    const first = new Error("first");
    const run = mapLimit([1, 2, 3, 4], 2, async (n) => {
      await new Promise((r) => setImmediate(r));
      settled.push(n);
      if (n === 1) throw first;
      if (n === 3) throw new Error("later");
    });
    await expect(run).rejects.toBe(first);
    expect(settled.sort()).toEqual([1, 2, 3, 4]);
  });
});

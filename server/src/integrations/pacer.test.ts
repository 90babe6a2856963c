import { describe, expect, it } from "vitest";
import { Pacer } from "./pacer.ts";
import { sleep } from "./sleep.ts";

describe("Pacer", () => {
  it("lets the first call go at once and spaces the next ones by the interval", async () => {
    const pacer = new Pacer(60);
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await pacer.wait();
      starts.push(performance.now());
    }
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(60);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(60);
  });

  it("does not wait when the interval has already passed", async () => {
    const pacer = new Pacer(20);
    await pacer.wait();
    await sleep(30);
    const before = performance.now();
    await pacer.wait();
    expect(performance.now() - before).toBeLessThan(15);
  });

  it("rejects with the abort reason when cancelled during the pause", async () => {
    const pacer = new Pacer(5_000);
    await pacer.wait();
    const controller = new AbortController();
    const reason = new Error("cancelled");
    setTimeout(() => controller.abort(reason), 20);
    await expect(pacer.wait(controller.signal)).rejects.toBe(reason);
  });
});

describe("sleep", () => {
  it("rejects at once when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sleep(1_000, controller.signal)).rejects.toMatchObject({ name: "AbortError" });
  });
});

import { describe, expect, it } from "vitest";
import { ManualClock } from "../../test/stand-ins/manual-clock.ts";
import { Pacer } from "./pacer.ts";
import { sleep } from "./sleep.ts";

describe("Pacer", () => {
  it("lets the first call go at once and spaces the next ones by the interval", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer(60, clock);
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      await pacer.wait();
      starts.push(clock.now());
    }
    expect(starts).toEqual([0, 60, 120]);
    expect(clock.sleeps).toEqual([60, 60]);
  });

  it("waits only for what is left of the interval", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer(150, clock);
    await pacer.wait();
    clock.advance(100); // the call itself took 100 ms
    await pacer.wait();
    expect(clock.sleeps).toEqual([50]);
    expect(clock.now()).toBe(150);
  });

  it("does not wait when the interval has already passed", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer(20, clock);
    await pacer.wait();
    clock.advance(30);
    await pacer.wait();
    expect(clock.sleeps).toEqual([]);
  });

  it("sleeps again when a timer fires a fraction early", async () => {
    const clock = new ManualClock();
    const pacer = new Pacer(10, clock);
    await pacer.wait();
    let first = true;
    // The first sleep returns 0.4 ms early (as setTimeout may); the pacer must not go yet.
    clock.onSleep = () => {
      if (first) clock.advance(-0.4);
      first = false;
    };
    await pacer.wait();
    expect(clock.sleeps).toEqual([10, 1]);
    expect(clock.now()).toBeGreaterThanOrEqual(10);
  });

  it("rejects with the abort reason when cancelled during the pause (real clock)", async () => {
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

import { describe, expect, it } from "vitest";
import { RunSlots } from "./run-slots.ts";

describe("RunSlots", () => {
  it("hands out as many free slots as asked for, up to what is free", async () => {
    const slots = new RunSlots(10);
    expect(await slots.acquireUpTo(4)).toBe(4);
    expect(await slots.acquireUpTo(25)).toBe(6);
    expect(slots.free).toBe(0);
  });

  it("makes a caller wait for a release when none is free, and serves waiters in order", async () => {
    const slots = new RunSlots(2);
    await slots.acquireUpTo(2);
    const order: string[] = [];
    const first = slots.acquireUpTo(5).then((n) => order.push(`first ${n}`));
    const second = slots.acquireUpTo(1).then((n) => order.push(`second ${n}`));
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release(1);
    await first;
    slots.release(1);
    await second;
    expect(order).toEqual(["first 1", "second 1"]);
  });

  it("gives a waiter nothing once its signal aborts, and the next waiter is served instead", async () => {
    const slots = new RunSlots(1);
    await slots.acquireUpTo(1);
    const stop = new AbortController();
    const stopped = slots.acquireUpTo(3, stop.signal);
    const next = slots.acquireUpTo(1);
    stop.abort();
    expect(await stopped).toBe(0);
    slots.release(1);
    expect(await next).toBe(1);
    expect(slots.free).toBe(0);
    expect(await slots.acquireUpTo(1, stop.signal)).toBe(0);
  });

  it("refuses to be released beyond its capacity, and a request for no slot", () => {
    const slots = new RunSlots(1);
    expect(() => slots.release(1)).toThrow(/more slots than were taken/);
    expect(() => slots.acquireUpTo(0)).toThrow(RangeError);
  });
});

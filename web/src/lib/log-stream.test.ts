import { describe, expect, it } from "vitest";
import { createLogCursor } from "./log-stream.ts";

describe("createLogCursor", () => {
  it("appends chunks that continue the log", () => {
    const cursor = createLogCursor(3);
    expect(cursor.accept({ offset: 3, text: "同步" })).toEqual({ kind: "append", text: "同步" });
    expect(cursor.bytes()).toBe(9);
  });

  it("drops a chunk already shown (replayed after a reconnect)", () => {
    const cursor = createLogCursor(10);
    expect(cursor.accept({ offset: 4, text: "abcdef" })).toEqual({ kind: "duplicate" });
    expect(cursor.bytes()).toBe(10);
  });

  it("keeps only the new tail of an overlapping chunk, counting UTF-8 bytes", () => {
    const cursor = createLogCursor(6);
    expect(cursor.accept({ offset: 3, text: "完成了" })).toEqual({ kind: "append", text: "成了" });
    expect(cursor.bytes()).toBe(12);
  });

  it("reports a gap when a chunk was missed, so the page reloads the log", () => {
    const cursor = createLogCursor(5);
    expect(cursor.accept({ offset: 9, text: "x" })).toEqual({ kind: "gap", expected: 5, got: 9 });
    expect(cursor.bytes()).toBe(5);
  });
});

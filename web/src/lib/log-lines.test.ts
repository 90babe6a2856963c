import { describe, expect, it } from "vitest";
import { createLineParser, parseLine, splitFields } from "./log-lines.ts";

describe("run-log lines", () => {
  it("reads time, level, message and the trailing JSON fields of a record", () => {
    const e = parseLine('2026-11-23T17:00:00.123+08:00 INFO  synced {"rows":12,"source":"oa","nested":{"a":1}}', 0);
    expect(e).toMatchObject({ time: "2026-11-23T17:00:00.123+08:00", level: "INFO", message: "synced" });
    expect(e.fields).toEqual([
      ["rows", "12"],
      ["source", "oa"],
      ["nested", '{"a":1}'],
    ]);
  });

  it("keeps braces that belong to the message", () => {
    expect(splitFields('template {name} used {"k":"v"}')).toEqual({ message: "template {name} used", fields: [["k", "v"]] });
    expect(splitFields("ends with {brace}")).toEqual({ message: "ends with {brace}", fields: [] });
  });

  it("shows a line that is not a record as a plain message", () => {
    expect(parseLine("plain output", 3)).toMatchObject({ index: 3, time: "", level: "", message: "plain output", fields: [] });
  });

  it("joins an error's indented stack to its record, even when the stack arrives in a later chunk", () => {
    const p = createLineParser();
    const first = p.feed("2026-11-23T17:00:00.000+08:00 ERROR failed\n    Error: boom\n");
    expect(first.appended).toHaveLength(1);
    expect(first.appended[0]!.extra).toBe("    Error: boom");
    const second = p.feed("    at run (job.ts:1:1)\n2026-11-23T17:00:01.000+08:00 INFO  next\n");
    expect(second.replacedLast?.extra).toBe("    Error: boom\n    at run (job.ts:1:1)");
    expect(second.replacedLast?.index).toBe(0);
    expect(second.appended.map((e) => [e.index, e.message])).toEqual([[1, "next"]]);
  });

  it("waits for a line's newline, and hands the unterminated tail out at the end", () => {
    const p = createLineParser();
    expect(p.feed("2026-11-23T17:00:00.000+08:00 INFO  hal").appended).toEqual([]);
    expect(p.feed("f").appended).toEqual([]);
    expect(p.end().appended.map((e) => e.message)).toEqual(["half"]);
  });
});

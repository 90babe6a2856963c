import { describe, expect, it } from "vitest";
import { RunLog, composeMessage } from "./run-log.ts";
import { splitUtf8, utf8Bytes } from "../runs/utf8-chunks.ts";

function collect(maxBytes: number) {
  const out: { offset: number; text: string }[] = [];
  const log = new RunLog({ maxBytes, zone: "Asia/Shanghai", scrub: (s) => s.replaceAll("s3cret", "***"), onOutput: (offset, text) => out.push({ offset, text }) });
  return { log, out };
}

describe("RunLog", () => {
  it("never exceeds its byte cap, ends with [TRUNCATED], and never splits a character", () => {
    const { log, out } = collect(1000);
    for (let i = 0; i < 50; i++) log.record({ level: 30, time: 0, msg: `第${i}行 ééé` });
    expect(log.truncated).toBe(true);
    expect(utf8Bytes(log.text())).toBeLessThanOrEqual(1000);
    expect(log.text()).toMatch(/\n\[TRUNCATED\][^\n]*\n$/);
    expect(log.text()).not.toContain("\uFFFD");
    expect(out.map((o) => o.text).join("")).toBe(log.text());
  });

  it("formats lines in the given zone with extra fields, and scrubs them", () => {
    const { log } = collect(10_000);
    log.record({ level: 30, time: Date.UTC(2026, 10, 23, 9, 0, 0, 123), msg: "hello s3cret", k: "v", job_id: "j", log_id: 1 });
    expect(log.text()).toBe('2026-11-23T17:00:00.123+08:00 INFO  hello *** {"k":"v"}\n');
  });

  it("summarises warnings and errors into the message, capped at 50,000 characters", () => {
    const { log } = collect(1000);
    log.record({ level: 40, time: 0, msg: "w".repeat(600) });
    for (let i = 0; i < 300; i++) log.record({ level: 50, time: 0, msg: `error ${i} ${"x".repeat(300)}` });
    const message = composeMessage("Run failed.", log);
    expect(message.startsWith("Run failed.\n\nWarnings and errors logged (301):")).toBe(true);
    expect(message.length).toBeLessThanOrEqual(50_000);
    expect(message).toMatch(/\[TRUNCATED\]$/);
  });
});

describe("splitUtf8", () => {
  it("cuts between characters and keeps escaped JSON within bounds", () => {
    const text = "日本語".repeat(1000) + "\u0001".repeat(3000);
    const chunks = splitUtf8(text, 2000);
    expect(chunks.join("")).toBe(text);
    for (const c of chunks) {
      expect(utf8Bytes(c)).toBeLessThanOrEqual(2000);
      expect(JSON.stringify(c).length).toBeLessThanOrEqual(4002);
    }
  });
});

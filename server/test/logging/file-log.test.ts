import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { withLogContext } from "../../src/logging/log-context.ts";
import { configureLogger } from "../../src/logging/logger.ts";
import { tempDataDir } from "../harness/app.ts";

const data = tempDataDir();
afterAll(() => data.cleanup());

describe("process logging", () => {
  it("writes structured lines to connecthub.log in LOG_DIR, tagged with the current log context", async () => {
    const logDir = path.join(data.dir, "logs");
    const log = await configureLogger({ level: "info", logDir });
    withLogContext({ fields: { job_id: "oa.sync", log_id: 12 } }, () => log.info("inside a run"));
    log.info("outside a run");
    await new Promise<void>((resolve) => log.flush(() => resolve()));
    await new Promise((r) => setTimeout(r, 200));
    const files = readdirSync(logDir).filter((f) => f.startsWith("connecthub"));
    expect(files.length).toBeGreaterThan(0);
    const lines = files.flatMap((f) => readFileSync(path.join(logDir, f), "utf8").trim().split("\n")).map((l) => JSON.parse(l));
    expect(lines.find((l) => l.msg === "inside a run")).toMatchObject({ job_id: "oa.sync", log_id: 12 });
    expect(lines.find((l) => l.msg === "outside a run")).not.toHaveProperty("job_id");
  });

  it("rotates connecthub.log at 10 MB, keeping the older lines in connecthub.log.1", async () => {
    const logDir = path.join(data.dir, "rotating");
    const log = await configureLogger({ level: "info", logDir, stdout: false });
    const filler = "x".repeat(1000);
    for (let i = 0; i < 10_800; i++) log.info({ i, filler }, "filler");
    log.info("after rotation");
    await new Promise((r) => setTimeout(r, 1500));
    const files = readdirSync(logDir).sort();
    expect(files).toContain("connecthub.log");
    expect(files).toContain("connecthub.log.1");
    expect(readFileSync(path.join(logDir, "connecthub.log.1"), "utf8")).toContain('"i":0,');
  });

  it("keeps a run's info lines in its capture when LOG_LEVEL is warn, without printing them", async () => {
    const printed: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (printed.push(String(chunk)), done()) });
    const log = await configureLogger({ level: "warn", logDir: null, stdout: false, extraStream: sink });
    const captured: string[] = [];
    withLogContext({ fields: { log_id: 3 }, capture: (r) => captured.push(String(r.msg)) }, () => {
      log.info("progress");
      log.warn("careful");
    });
    log.info("process chatter");
    expect(captured).toEqual(["progress", "careful"]);
    expect(printed.map((l) => JSON.parse(l).msg)).toEqual(["careful"]);
  });

  it("hands each line written inside a context to that context's capture only", async () => {
    const log = await configureLogger({ level: "info", logDir: null });
    const a: string[] = [];
    const b: string[] = [];
    await Promise.all([
      withLogContext({ fields: { log_id: 1 }, capture: (r) => a.push(String(r.msg)) }, async () => {
        for (let i = 0; i < 5; i++) {
          log.info(`a${i}`);
          await new Promise((r) => setImmediate(r));
        }
      }),
      withLogContext({ fields: { log_id: 2 }, capture: (r) => b.push(String(r.msg)) }, async () => {
        for (let i = 0; i < 5; i++) {
          log.info(`b${i}`);
          await new Promise((r) => setImmediate(r));
        }
      }),
    ]);
    expect(a).toEqual(["a0", "a1", "a2", "a3", "a4"]);
    expect(b).toEqual(["b0", "b1", "b2", "b3", "b4"]);
  });
});

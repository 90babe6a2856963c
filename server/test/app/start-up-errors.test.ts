import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { tempDataDir } from "../harness/app.ts";

function start(env: Record<string, string>) {
  const data = tempDataDir();
  try {
    return spawnSync(process.execPath, ["--import", "tsx", "server/src/main.ts", "all"], {
      env: { ...process.env, DATA_DIR: data.dir, PORT: "0", LOG_DIR: "", ...env },
      encoding: "utf8",
      timeout: 60_000,
    });
  } finally {
    data.cleanup();
  }
}

describe("start-up with a bad configuration", () => {
  it("stops with one line naming TIMEZONE and a non-zero exit code", () => {
    const result = start({ TIMEZONE: "Asia/Shang" });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe('connecthub: TIMEZONE "Asia/Shang" is not a known IANA zone');
  });

  it("stops naming PORT when it is out of range", () => {
    const result = start({ PORT: "70000" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/^connecthub: PORT "70000" must be between 0 and 65535$/m);
  });
});

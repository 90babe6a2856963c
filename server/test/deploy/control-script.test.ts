import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readRepoFile, REPO } from "./repo-files.ts";

const SCRIPT = path.join(REPO, "connecthub.sh");
const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

describe("connecthub.sh", () => {
  it("is strict bash that parses", () => {
    const text = readRepoFile("connecthub.sh");
    expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(text).toContain("set -euo pipefail");
    execFileSync("bash", ["-n", SCRIPT]);
  });

  // Outside CI shellcheck is optional; .ci/run installs it, so there its absence is a failure.
  it.runIf(hasShellcheck || process.env.CI)("is shellcheck-clean", () => {
    expect(hasShellcheck, "shellcheck is not installed (.ci/run installs it: apt-get install -y shellcheck)").toBe(true);
    const result = spawnSync("shellcheck", [SCRIPT], { encoding: "utf8" });
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });

  it("lists every command in its usage and rejects unknown ones with exit 2", () => {
    const usage = execFileSync("bash", [SCRIPT, "--help"], { encoding: "utf8" });
    for (const cmd of ["build", "start", "restart", "stop", "dev-build", "dev-start", "dev-restart", "dev-stop", "logs [-f] [--tail N] [service]", "status"]) {
      expect(usage).toContain(`  ${cmd}`);
    }
    const unknown = spawnSync("bash", [SCRIPT, "launch"], { encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "launch"');
  });
});

import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `connecthub <args>` as a real child process with only the given ConnectHub variables. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => ["PATH", "HOME", "TMPDIR", "LANG", "NODE_OPTIONS"].includes(k)),
  ) as Record<string, string>;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "server/src/cli/main.js", ...args],
      { cwd: REPO, env: { ...inherited, LOG_DIR: "", LOG_LEVEL: "warn", ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * A temp DATA_DIR, removed by `cleanup`. (Not the harness's: that module imports the whole app,
 * and these tests only need the CLI child processes.)
 */
export function tempDataDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "connecthub-cli-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

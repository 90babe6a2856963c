import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { JS_BUDGET_GZIP_BYTES, measureBundle } from "../scripts/bundle-size.mjs";

const WEB = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(WEB, "..", "node_modules", ".bin");

function run(bin: string, args: string[]): string {
  return execFileSync(path.join(BIN, bin), args, { cwd: WEB, encoding: "utf8", stdio: "pipe" });
}

describe("admin build", () => {
  it("keeps all of the admin's JavaScript under 150 KB gzipped", () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), "connecthub-admin-dist-"));
    try {
      run("vite", ["build", "--outDir", outDir, "--logLevel", "error"]);
      const { files, totalGzip } = measureBundle(outDir);
      expect(files.length).toBeGreaterThan(0);
      expect(totalGzip).toBeLessThan(JS_BUDGET_GZIP_BYTES);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("has GraphQL types generated from the current server/schema.graphql", () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "connecthub-tada-")), "graphql-env.d.ts");
    run("gql-tada", ["generate", "output", "--output", out]);
    const fresh = readFileSync(out, "utf8");
    rmSync(path.dirname(out), { recursive: true, force: true });
    expect(existsSync(path.join(WEB, "src", "graphql-env.d.ts"))).toBe(true);
    // Stale types mean the admin was checked against an old API: run `npm run generate -w web`.
    expect(readFileSync(path.join(WEB, "src", "graphql-env.d.ts"), "utf8")).toBe(fresh);
  });
});

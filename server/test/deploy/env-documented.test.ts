import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema } from "../../src/config/env-schema.ts";
import { readRepoFile, REPO, sourceFiles } from "./repo-files.ts";

// Set by the platform or the test harness, not configuration an operator chooses.
const NOT_CONFIGURATION = new Set(["NODE_ENV", "PYTHON", "FERRETDB_BIN", "TEST_DATABASE_URL", "PRISMA_SCHEMA_ENGINE_BINARY", "PRISMA_HIDE_UPDATE_MESSAGE"]);

function documentedVariables(): Set<string> {
  const names = new Set<string>();
  for (const line of readRepoFile(".env.example").split("\n")) {
    const m = /^\s*#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}

function variablesReadInSource(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(path.join(REPO, "server/src"))) {
    for (const m of readFileSync(file, "utf8").matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[["']([A-Z][A-Z0-9_]*)["']\])/g)) {
      names.add((m[1] ?? m[2])!);
    }
  }
  return names;
}

describe(".env.example", () => {
  it("documents every variable of the config schema", () => {
    const missing = Object.keys(envSchema.shape).filter((k) => !documentedVariables().has(k));
    expect(missing).toEqual([]);
  });

  it("documents every process.env variable the server reads directly", () => {
    const missing = [...variablesReadInSource()].filter((k) => !NOT_CONFIGURATION.has(k) && !documentedVariables().has(k));
    expect(missing).toEqual([]);
  });

  it("documents the variables docker-compose.yml interpolates", () => {
    const used = new Set([...readRepoFile("docker-compose.yml").matchAll(/\$\{([A-Z_]+)[:}-]/g)].map((m) => m[1]!));
    expect([...used].filter((k) => !documentedVariables().has(k))).toEqual([]);
  });
});

import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export const readRepoFile = (file: string) => readFileSync(path.join(REPO, file), "utf8");

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  restart?: string;
  container_name?: string;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

export function readCompose(file: string): { services: Record<string, ComposeService> } {
  // merge: true resolves the `<<: *anchor` keys compose itself resolves.
  return parse(readRepoFile(file), { merge: true });
}

/** Dockerfile instructions (continuation lines joined), per stage. */
export function readDockerfile(): Array<{ from: string; instructions: Array<{ op: string; args: string }> }> {
  const lines = readRepoFile("docker/Dockerfile").replace(/\\\n/g, " ").split("\n");
  const stages: Array<{ from: string; instructions: Array<{ op: string; args: string }> }> = [];
  for (const line of lines) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, op, args] = m as unknown as [string, string, string];
    if (op === "FROM") stages.push({ from: args.trim(), instructions: [] });
    else stages.at(-1)?.instructions.push({ op, args: args.trim() });
  }
  return stages;
}

export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      if (entry !== "generated" && entry !== "node_modules") out.push(...sourceFiles(full));
    } else if (entry.endsWith(".ts") && !entry.endsWith(".test.ts")) {
      out.push(full);
    }
  }
  return out;
}

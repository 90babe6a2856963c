// The server's own source files (tests and generated code left out), read as text.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SERVER_SRC = fileURLToPath(new URL("../../src", import.meta.url));

export interface SourceFile {
  /** Relative to server/src, with forward slashes. */
  rel: string;
  abs: string;
  text: string;
}

export function serverSourceFiles(): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "generated") walk(abs);
      } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts")) {
        out.push({ rel: path.relative(SERVER_SRC, abs).split(path.sep).join("/"), abs, text: readFileSync(abs, "utf8") });
      }
    }
  };
  walk(SERVER_SRC);
  return out;
}

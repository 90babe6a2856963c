import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeFailure } from "../execution/failure.ts";
import { PROJECT_ROOT, relativeToProject } from "./project-paths.ts";

describe("server paths shown to users are relative to the project root", () => {
  it("rewrites paths and file URLs inside the project, and leaves others alone", () => {
    const file = path.join(PROJECT_ROOT, "extensions", "oa", "job.ts");
    expect(relativeToProject(`at run (${file}:12:5)`)).toBe(`at run (${path.join("extensions", "oa", "job.ts")}:12:5)`);
    expect(relativeToProject(`import of file://${file} failed`)).toBe(`import of ${path.join("extensions", "oa", "job.ts")} failed`);
    expect(relativeToProject("at run (/usr/lib/node/x.js:1:1)")).toBe("at run (/usr/lib/node/x.js:1:1)");
  });

  it("a handler's traceback names no absolute path of the project", () => {
    const { traceback, message } = describeFailure(new Error(`cannot open ${path.join(PROJECT_ROOT, "data", "x.csv")}`));
    expect(traceback).not.toContain(PROJECT_ROOT);
    expect(message).toBe(`Error: cannot open ${path.join("data", "x.csv")}`);
    expect(traceback).toMatch(/server\/src\/plugins\/project-paths\.test\.ts/);
  });
});

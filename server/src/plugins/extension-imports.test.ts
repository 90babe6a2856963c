import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { isExtensionModule, packageNameOf } from "./extension-imports.ts";
import { configureExtensionRoots } from "./extension-roots.ts";

describe("extension imports", () => {
  afterEach(() => configureExtensionRoots(undefined));

  it("names the package a bare specifier imports, and none for paths and node: modules", () => {
    expect(packageNameOf("zod")).toBe("zod");
    expect(packageNameOf("zod/v4")).toBe("zod");
    expect(packageNameOf("@connecthub/server/sdk")).toBe("@connecthub/server");
    expect(packageNameOf("./helper.ts")).toBeNull();
    expect(packageNameOf("/abs/file.ts")).toBeNull();
    expect(packageNameOf("node:fs")).toBeNull();
    expect(packageNameOf("file:///x.ts")).toBeNull();
  });

  it("treats only files inside a configured extension root as extension modules", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "site_jobs-"));
    try {
      configureExtensionRoots([root]);
      expect(isExtensionModule(pathToFileURL(path.join(root, "hello.ts")).href)).toBe(true);
      expect(isExtensionModule(pathToFileURL(`${root}-other/hello.ts`).href)).toBe(false);
      expect(isExtensionModule(pathToFileURL("/srv/elsewhere/hello.ts").href)).toBe(false);
      expect(isExtensionModule(undefined)).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("loads a TypeScript extension kept under a node_modules directory, where Node itself refuses to strip types", () => {
    // Native Node, as production runs it (vitest would transpile the module itself).
    const dir = mkdtempSync(path.join(os.tmpdir(), "ext-under-node-modules-"));
    try {
      const root = path.join(dir, "node_modules", ".site", "site_jobs");
      mkdirSync(root, { recursive: true });
      writeFileSync(path.join(root, "job.ts"), 'import { z } from "zod";\nconst n: number = z.number().parse(41) + 1;\nexport default n;\n');
      const hooks = fileURLToPath(new URL("./extension-imports.ts", import.meta.url));
      const roots = fileURLToPath(new URL("./extension-roots.ts", import.meta.url));
      const script =
        `import { configureExtensionRoots } from ${JSON.stringify(roots)};` +
        `import { registerExtensionImports } from ${JSON.stringify(hooks)};` +
        `configureExtensionRoots([${JSON.stringify(root)}]); registerExtensionImports();` +
        `const m = await import(${JSON.stringify(pathToFileURL(path.join(root, "job.ts")).href)}); console.log(m.default);`;
      const out = execFileSync(process.execPath, ["--no-warnings", "--input-type=module", "-e", script], { encoding: "utf8" });
      expect(out.trim()).toBe("42");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
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
});

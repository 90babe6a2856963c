import { fileURLToPath } from "node:url";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  configureExtensionRoots,
  HandlerPathError,
  listHandlers,
  parseHandlerPath,
  resolveHandler,
  scanHandlers,
  validateHandlerConfig,
} from "../../src/plugins/index.ts";
import { TEST_JOBS_ROOT } from "./harness.ts";

const SDK_URL = new URL("../../src/sdk.ts", import.meta.url).href;

beforeAll(() => configureExtensionRoots([TEST_JOBS_ROOT]));
afterAll(() => configureExtensionRoots(undefined));

async function rejection(handlerPath: string): Promise<HandlerPathError> {
  const error = await resolveHandler(handlerPath).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HandlerPathError);
  expect((error as HandlerPathError).code).toBe("HANDLER_INVALID");
  return error as HandlerPathError;
}

describe("handlerPath forms", () => {
  it("resolves the dotted, slash and class-as-last-segment forms to the same class", async () => {
    const dotted = await resolveHandler("extensions.example.job:ExampleJob");
    expect(dotted.name).toBe("ExampleJob");
    expect(await resolveHandler("extensions/example/job:ExampleJob")).toBe(dotted);
    expect(await resolveHandler("extensions.example.job.ExampleJob")).toBe(dotted);
  });

  it("resolves the original's sync_oa_to_didi paths unchanged", async () => {
    for (const cls of ["SyncOAToDidiTokenJob", "SyncOAToDidiExportFormJob", "SyncOAToDidiLegalEntitySyncJob"]) {
      expect((await resolveHandler(`extensions.sync_oa_to_didi.job:${cls}`)).name).toBe(cls);
    }
  });

  it("resolves handlers under an EXTENSION_ROOTS directory by its basename", async () => {
    expect((await resolveHandler("test_jobs.noop:NoopJob")).name).toBe("NoopJob");
  });

  it("parses every form into root, module and class", () => {
    expect(parseHandlerPath("extensions/example/job:ExampleJob")).toEqual({
      root: "extensions",
      moduleSegments: ["example", "job"],
      className: "ExampleJob",
      dotted: "extensions.example.job:ExampleJob",
    });
  });
});

describe("handlerPath errors say what to fix", () => {
  it("refuses path traversal in every form", async () => {
    for (const p of ["extensions/../server/src/sdk:BaseJob", "extensions...etc.passwd:X", "extensions/example/../../x:Y", "/etc/passwd:X"]) {
      expect((await rejection(p)).message).toMatch(/may not leave its extension folder|may only contain/);
    }
  });

  it("names the known roots for an unknown first segment", async () => {
    const e = await rejection("nowhere.mod:Job");
    expect(e.message).toContain('"nowhere" is not an extension root');
    expect(e.message).toContain("test_jobs");
  });

  it("says which module file is missing", async () => {
    expect((await rejection("extensions.example.nope:ExampleJob")).message).toMatch(/no module file .*nope\.ts/);
  });

  it("lists the module's handlers when the class name is wrong", async () => {
    const e = await rejection("extensions.example.job:ExampelJob");
    expect(e.message).toContain('no export named "ExampelJob"');
    expect(e.message).toContain("ExampleJob");
  });

  it("refuses an export that is not a BaseJob subclass", async () => {
    expect((await rejection("test_jobs.behaviours:NotAJob")).message).toContain('"NotAJob" is not a BaseJob subclass');
  });

  it("includes the import error of a module that fails to load", async () => {
    const e = await rejection("test_jobs.broken_module:NeverLoadedJob");
    expect(e.message).toContain("failed to import");
    expect(e.message).toContain("broken_module fails on purpose");
    // Shown to viewers: the module's path is relative to the project root.
    expect(e.message).toContain("server/test/fixtures/test_jobs/broken_module.ts");
    expect(e.message).not.toContain(fileURLToPath(new URL("../../../", import.meta.url)));
  });

  it("fails clearly once an extension's file is gone, even after it was imported", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "vanishing_ext_"));
    const root = path.basename(dir);
    writeFileSync(
      path.join(dir, "job.ts"),
      // By file URL: a directory outside the repo has no node_modules to find the SDK package in.
      `import { BaseJob } from ${JSON.stringify(SDK_URL)};\nexport class GoneJob extends BaseJob { run() { return 1; } }\n`,
    );
    configureExtensionRoots([TEST_JOBS_ROOT, dir]);
    try {
      expect((await resolveHandler(`${root}.job:GoneJob`)).name).toBe("GoneJob");
      rmSync(path.join(dir, "job.ts"));
      expect((await rejection(`${root}.job:GoneJob`)).message).toContain("no module file");
    } finally {
      configureExtensionRoots([TEST_JOBS_ROOT]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("listHandlers", () => {
  it("lists every handler with its dotted path, description and JSON schemas, once per class", async () => {
    const handlers = await listHandlers();
    const example = handlers.find((h) => h.className === "ExampleJob");
    expect(example).toMatchObject({ handlerPath: "extensions.example.job:ExampleJob", module: "extensions.example.job" });
    expect(example?.description).toBeTruthy();
    expect(example?.paramsJsonSchema).toMatchObject({ type: "object", properties: { name: { type: "string" } }, required: ["name"] });
    // Re-exported from job.ts: listed under the path the original documented, and only once.
    const token = handlers.filter((h) => h.className === "SyncOAToDidiTokenJob");
    expect(token.map((h) => h.handlerPath)).toEqual(["extensions.sync_oa_to_didi.job:SyncOAToDidiTokenJob"]);
    expect(handlers.map((h) => h.handlerPath)).toContain("test_jobs.noop:NoopJob");
    expect(handlers.map((h) => h.className)).not.toContain("NotAJob");
    expect(handlers.some((h) => h.module.endsWith(".test") || h.module.includes("job.test"))).toBe(false);
  });

  it("reports a module that fails to import instead of hiding it", async () => {
    const { problems } = await scanHandlers();
    expect(problems).toContainEqual(expect.objectContaining({ module: "test_jobs.broken_module", error: expect.stringContaining("fails on purpose") }));
  });
});

describe("validateHandlerConfig", () => {
  it("names each bad field of publicCfg and secretCfg", async () => {
    const errors = await validateHandlerConfig("test_jobs.behaviours:StrictParamsJob", { name: "", count: 1.5 }, { token: "short" });
    expect(errors.map((e) => e.field).sort()).toEqual(["publicCfg.count", "publicCfg.name", "secretCfg.token"]);
    expect(JSON.stringify(errors)).not.toContain("short");
  });

  it("accepts a valid config, and leaves secrets unchecked when none are given", async () => {
    expect(await validateHandlerConfig("test_jobs.behaviours:StrictParamsJob", { name: "a", count: 2 }, { token: "12345678" })).toEqual([]);
    expect(await validateHandlerConfig("test_jobs.behaviours:StrictParamsJob", { name: "a", count: 2 })).toEqual([]);
  });

  it("requires publicCfg to be a JSON object", async () => {
    expect(await validateHandlerConfig("test_jobs.noop:NoopJob", [1, 2])).toEqual([{ field: "publicCfg", message: expect.stringContaining("JSON object"), code: "NOT_AN_OBJECT" }]);
  });

  it("reports a bad handlerPath as a handlerPath field error", async () => {
    const errors = await validateHandlerConfig("test_jobs.behaviours:NotAJob", {});
    expect(errors).toEqual([
      {
        field: "handlerPath",
        message: expect.stringContaining("not a BaseJob subclass"),
        code: "HANDLER_NOT_A_JOB",
        params: { handlerPath: "test_jobs.behaviours:NotAJob", className: "NotAJob" },
      },
    ]);
  });
});

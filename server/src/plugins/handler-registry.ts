import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isBaseJobClass } from "./base-job-class.ts";
import type { BaseJobClass } from "./base-job.ts";
import { registerExtensionImports } from "./extension-imports.ts";
import { extensionRoots } from "./extension-roots.ts";
import { HandlerPathError } from "./handler-errors.ts";
import { parseHandlerPath, type ParsedHandlerPath } from "./handler-path.ts";
import { relativeToProject } from "./project-paths.ts";

const MODULE_EXTENSIONS = [".ts", ".js", ".mjs"];

/** The module file a parsed path names, or a HandlerPathError saying what is missing. */
export function moduleFileFor(handlerPath: string, parsed: ParsedHandlerPath): string {
  const roots = extensionRoots();
  const rootDir = roots.get(parsed.root);
  if (!rootDir) {
    throw new HandlerPathError(
      handlerPath,
      `"${parsed.root}" is not an extension root. Known roots: ${[...roots.keys()].join(", ")} ` +
        `(add a directory named "${parsed.root}" to EXTENSION_ROOTS to use it).`,
      { reason: "HANDLER_ROOT_UNKNOWN" },
    );
  }
  const base = path.join(rootDir, ...parsed.moduleSegments);
  const candidates = [...MODULE_EXTENSIONS.map((ext) => base + ext), ...MODULE_EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
  const file = candidates.find((c) => existsSync(c));
  if (!file) {
    const shown = path.relative(process.cwd(), base) || base;
    throw new HandlerPathError(handlerPath, `no module file ${shown}.ts (or .js) exists. Check the folder and module names, or deploy the extension.`, { reason: "HANDLER_NOT_FOUND" });
  }
  // A symlink must not lead out of the root either.
  const real = realpathSync(file);
  const realRoot = realpathSync(rootDir);
  if (!real.startsWith(realRoot + path.sep)) {
    throw new HandlerPathError(handlerPath, `its module resolves outside the extension root ${rootDir}.`, { reason: "HANDLER_OUTSIDE_ROOT" });
  }
  return file;
}

export async function importModule(handlerPath: string, file: string): Promise<Record<string, unknown>> {
  // An extension root outside the checkout has no node_modules: its SDK and library imports
  // resolve from the server's location (extension-imports.ts).
  registerExtensionImports();
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const detail = relativeToProject(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    throw new HandlerPathError(handlerPath, `its module ${relativeToProject(file)} failed to import (${detail}). Fix the module so it loads.`, { cause: error, reason: "HANDLER_IMPORT_FAILED", params: { detail } });
  }
}

/** The exported names of a module that are BaseJob subclasses. */
export function handlerExports(mod: Record<string, unknown>): string[] {
  return Object.keys(mod).filter((name) => isBaseJobClass(mod[name]));
}

/**
 * Module files found so far, by extension root and handlerPath, and the modules imported from them.
 * Every run resolves its handler: a full resolution (several stats, a realpath, the loader's
 * round trip through its hooks) per run is what a burst of runs cannot afford.
 */
const moduleFiles = new Map<string, string>();
const importedModules = new Map<string, Promise<Record<string, unknown>>>();

/**
 * Resolves a handlerPath to its BaseJob subclass. Checks the file still exists on every call (a
 * deleted extension fails clearly even though its module is still in the import cache).
 */
export async function resolveHandler(handlerPath: string): Promise<BaseJobClass> {
  const parsed = parseHandlerPath(handlerPath);
  const key = `${extensionRoots().get(parsed.root) ?? ""}\0${handlerPath}`;
  let file = moduleFiles.get(key);
  if (!file || !existsSync(file)) {
    file = moduleFileFor(handlerPath, parsed);
    moduleFiles.set(key, file);
  }
  // The promise is kept, not the module: runs starting together share one import (each import
  // otherwise queues a round trip through the module loader's hooks).
  let importing = importedModules.get(file);
  if (!importing) {
    importing = importModule(handlerPath, file);
    importedModules.set(file, importing);
    importing.catch(() => importedModules.delete(file));
  }
  const mod = await importing;
  const value = mod[parsed.className];
  if (value === undefined) {
    const available = handlerExports(mod);
    const hint = available.length ? `It exports these handlers: ${available.join(", ")}.` : "It exports no BaseJob subclass.";
    throw new HandlerPathError(handlerPath, `module ${path.basename(file)} has no export named "${parsed.className}". ${hint}`, {
      reason: "HANDLER_EXPORT_MISSING",
      params: { className: parsed.className, available: available.join(", ") },
    });
  }
  if (!isBaseJobClass(value)) {
    throw new HandlerPathError(
      handlerPath,
      `"${parsed.className}" is not a BaseJob subclass. Declare it as \`export class ${parsed.className} extends BaseJob\` (import BaseJob from "@connecthub/server/sdk").`,
      { reason: "HANDLER_NOT_A_JOB", params: { className: parsed.className } },
    );
  }
  return value;
}

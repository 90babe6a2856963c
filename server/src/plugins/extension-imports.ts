import { existsSync, readFileSync, realpathSync } from "node:fs";
import { registerHooks, stripTypeScriptTypes } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { extensionRoots } from "./extension-roots.ts";

/**
 * What an extension may import without a node_modules of its own: the SDK and the libraries the
 * server ships for extensions. An extension root can live anywhere on disk (a volume mounted into
 * the container, a directory outside the checkout) where Node's own lookup, which walks up from
 * the importing file, finds no node_modules.
 */
export const SHARED_PACKAGES: readonly string[] = ["@connecthub/server", "zod", "luxon", "ofetch"];

let registered = false;

/** "@scope/name/sub" → "@scope/name", "name/sub" → "name"; null for relative, absolute and `node:` specifiers. */
export function packageNameOf(specifier: string): string | null {
  if (/^(\.|\/|[a-z][a-z0-9+.-]*:)/i.test(specifier)) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** The extension root directories, as given and as their real paths (module URLs are real paths). */
function rootDirs(): string[] {
  const dirs = new Set<string>();
  for (const dir of extensionRoots().values()) {
    dirs.add(dir);
    if (existsSync(dir)) dirs.add(realpathSync(dir));
  }
  return [...dirs];
}

/** Whether `parentURL` is a module file inside an extension root. */
export function isExtensionModule(parentURL: string | undefined): boolean {
  if (!parentURL?.startsWith("file:")) return false;
  const file = fileURLToPath(parentURL);
  return rootDirs().some((dir) => file.startsWith(dir + path.sep));
}

/**
 * Lets modules under extension roots import the SHARED_PACKAGES from the server's own location
 * when their own location has none, and load as TypeScript wherever the root is: Node refuses to
 * strip types from files under a node_modules directory (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING),
 * which is where some deployments put their extensions; for files of an extension root only, the
 * hook strips them itself with Node's own stripper (the same transform, no other transpiler). Node's lookup runs first, so an extension that brings its
 * own copy (a node_modules in or above its root) keeps it. Idempotent; in-thread synchronous
 * hooks (`module.registerHooks`, which replaces the deprecated off-thread `module.register`).
 */
export function registerExtensionImports(): void {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        const name = packageNameOf(specifier);
        // ERR_MODULE_NOT_FOUND from `import`, MODULE_NOT_FOUND from `require` (a module Node or tsx loads as CommonJS).
        const code = (error as { code?: string }).code;
        const notFound = code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
        if (!notFound || !name || !SHARED_PACKAGES.includes(name) || !isExtensionModule(context.parentURL)) throw error;
        // Resolved as this file's own import (the `import` conditions), for `require` too: Node 24
        // requires ES modules, and the extension then shares the server's copy of the package.
        return { url: import.meta.resolve(specifier), shortCircuit: true };
      }
    },
    load(url, context, nextLoad) {
      try {
        return nextLoad(url, context);
      } catch (error) {
        if ((error as { code?: string }).code !== "ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING" || !isExtensionModule(url)) throw error;
        const source = stripTypeScriptTypes(readFileSync(fileURLToPath(url), "utf8"));
        return { format: "module", source, shortCircuit: true };
      }
    },
  });
}

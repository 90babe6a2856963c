import path from "node:path";
import { fileURLToPath } from "node:url";

/** `<repo>/extensions`, the root every deployment has. */
export const DEFAULT_EXTENSIONS_DIR = fileURLToPath(new URL("../../../extensions", import.meta.url));

let configured: string[] | null = null;

/**
 * Extra roots (EXTENSION_ROOTS), set once at boot from the parsed config. Until then the raw
 * environment variable is used, so tools that never build a config still see the same roots.
 */
export function configureExtensionRoots(dirs: readonly string[] | undefined): void {
  configured = dirs ? [...dirs] : null;
}

/** Comma-separated directories, blanks ignored. */
export function parseExtensionRoots(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Root name (first handlerPath segment) → absolute directory. `extensions` always exists. */
export function extensionRoots(): Map<string, string> {
  const roots = new Map<string, string>([["extensions", DEFAULT_EXTENSIONS_DIR]]);
  for (const dir of configured ?? parseExtensionRoots(process.env.EXTENSION_ROOTS)) {
    const abs = path.resolve(dir);
    roots.set(path.basename(abs), abs);
  }
  return roots;
}

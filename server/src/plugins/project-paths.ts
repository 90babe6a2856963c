import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root (where package.json and extensions/ live). */
export const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const ROOT = PROJECT_ROOT.endsWith(path.sep) ? PROJECT_ROOT : PROJECT_ROOT + path.sep;
const ROOT_PATTERN = new RegExp(`(?:file://)?${escapeRegExp(ROOT)}`, "g");

/**
 * Tracebacks and import errors are shown to viewers: server paths in them become relative to
 * the project root (`extensions/oa/job.ts:12:5`), so they tell where the fault is without
 * revealing how the server is laid out. Paths outside the project are left as they are.
 */
export function relativeToProject(text: string): string {
  return text.replace(ROOT_PATTERN, "");
}

import { readdir } from "node:fs/promises";
import path from "node:path";
import { z, type ZodType } from "zod";
import { logger } from "../logging/logger.ts";
import type { BaseJobClass } from "./base-job.ts";
import { extensionRoots } from "./extension-roots.ts";
import { handlerExports, importModule } from "./handler-registry.ts";

export interface HandlerInfo {
  /** Dotted form, e.g. `extensions.example.job:ExampleJob`. */
  handlerPath: string;
  /** Dotted module, e.g. `extensions.example.job`. */
  module: string;
  className: string;
  description: string | null;
  /** The description in other languages, by locale (e.g. `zh-CN`). */
  descriptions: Record<string, string>;
  paramsJsonSchema: Record<string, unknown> | null;
  secretsJsonSchema: Record<string, unknown> | null;
}

/** A module under an extension root that could not be imported. */
export interface HandlerModuleProblem {
  module: string;
  file: string;
  error: string;
}

const SKIPPED_DIRS = new Set(["node_modules"]);
const MODULE_FILE = /\.(ts|js|mjs)$/;
const SKIPPED_FILE = /(\.test\.|\.spec\.|\.d\.ts$)/;

async function moduleFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out; // a configured root that does not exist holds no handlers
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...(await moduleFiles(full)));
    } else if (MODULE_FILE.test(entry.name) && !SKIPPED_FILE.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

function jsonSchemaOf(schema: ZodType | undefined): Record<string, unknown> | null {
  if (!schema) return null;
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function localized(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object") return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** Where a class exported by several modules (re-exports) is listed: `job`, then `index`, then the shortest path. */
function preferred(a: HandlerInfo, b: HandlerInfo): boolean {
  const rank = (i: HandlerInfo) => ({ job: 0, index: 1 })[i.module.split(".").at(-1) as "job" | "index"] ?? 2;
  return rank(a) !== rank(b) ? rank(a) < rank(b) : a.module.length < b.module.length;
}

/** Every handler under every extension root, and every module that failed to import. */
export async function scanHandlers(): Promise<{ handlers: HandlerInfo[]; problems: HandlerModuleProblem[] }> {
  const byClass = new Map<BaseJobClass, HandlerInfo>();
  const problems: HandlerModuleProblem[] = [];
  for (const [root, dir] of extensionRoots()) {
    for (const file of await moduleFiles(dir)) {
      const rel = path.relative(dir, file).replace(MODULE_FILE, "");
      const module = [root, ...rel.split(path.sep)].join(".");
      let mod: Record<string, unknown>;
      try {
        mod = await importModule(`${module}:*`, file);
      } catch (error) {
        problems.push({ module, file, error: (error as Error).message });
        continue;
      }
      for (const className of handlerExports(mod)) {
        const cls = mod[className] as BaseJobClass;
        const info: HandlerInfo = {
          handlerPath: `${module}:${className}`,
          module,
          className,
          description: cls.description ?? null,
          descriptions: localized(cls.descriptions),
          paramsJsonSchema: jsonSchemaOf(cls.paramsSchema),
          secretsJsonSchema: jsonSchemaOf(cls.secretsSchema),
        };
        const seen = byClass.get(cls);
        if (!seen || preferred(info, seen)) byClass.set(cls, info);
      }
    }
  }
  const handlers = [...byClass.values()].sort((a, b) => a.handlerPath.localeCompare(b.handlerPath));
  return { handlers, problems };
}

/** The handlers operators can pick. Modules that fail to import are logged as errors, never skipped silently. */
export async function listHandlers(): Promise<HandlerInfo[]> {
  const { handlers, problems } = await scanHandlers();
  for (const p of problems) logger().error({ module: p.module, file: p.file }, `extension module failed to import: ${p.error}`);
  return handlers;
}

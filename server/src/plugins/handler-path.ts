import { HandlerPathError } from "./handler-errors.ts";

/** A handlerPath split into the extension root it starts from, the module inside it, and the class. */
export interface ParsedHandlerPath {
  /** First segment: `extensions`, or the basename of a directory in EXTENSION_ROOTS. */
  root: string;
  /** Module path segments below the root, without file extension. */
  moduleSegments: string[];
  className: string;
  /** The original's dotted form, `root.a.b:ClassName` — how handlers are listed. */
  dotted: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const CLASS_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const FORMS =
  'Use "extensions.<folder>.<module>:<ClassName>" (or "extensions/<folder>/<module>:<ClassName>", or "extensions.<folder>.<module>.<ClassName>").';

/**
 * Accepts the three forms operators write:
 * `extensions.example.job:ExampleJob`, `extensions/example/job:ExampleJob`, `extensions.example.job.ExampleJob`.
 */
export function parseHandlerPath(handlerPath: string): ParsedHandlerPath {
  const input = typeof handlerPath === "string" ? handlerPath.trim() : "";
  if (!input) throw new HandlerPathError(String(handlerPath ?? ""), `it is empty. ${FORMS}`);
  if (input.split(/[/.\\:]/).includes("..") || input.includes("\\") || input.startsWith("/")) {
    throw new HandlerPathError(input, `it may not leave its extension folder ("..", absolute or backslash paths are refused). ${FORMS}`);
  }

  let modulePart: string;
  let className: string;
  const colon = input.indexOf(":");
  if (colon >= 0) {
    if (input.indexOf(":", colon + 1) >= 0) throw new HandlerPathError(input, `it has more than one ":". ${FORMS}`);
    modulePart = input.slice(0, colon);
    className = input.slice(colon + 1);
  } else {
    if (input.includes("/")) throw new HandlerPathError(input, `a path with "/" needs ":<ClassName>" at the end. ${FORMS}`);
    const dot = input.lastIndexOf(".");
    if (dot < 0) throw new HandlerPathError(input, `it names no module. ${FORMS}`);
    modulePart = input.slice(0, dot);
    className = input.slice(dot + 1);
  }

  const withoutExt = modulePart.replace(/\.(ts|js|mjs)$/, "");
  const segments = withoutExt.includes("/") ? withoutExt.split("/") : withoutExt.split(".");
  if (segments.length < 2) {
    throw new HandlerPathError(input, `"${modulePart}" names no module inside an extension root (e.g. "extensions.example.job"). ${FORMS}`);
  }
  const bad = segments.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) {
    throw new HandlerPathError(input, `module segment "${bad}" may only contain letters, digits, "_" and "-". ${FORMS}`);
  }
  if (!CLASS_NAME.test(className)) {
    throw new HandlerPathError(input, `"${className}" is not a class name. ${FORMS}`);
  }
  const [root, ...moduleSegments] = segments as [string, ...string[]];
  return { root, moduleSegments, className, dotted: `${[root, ...moduleSegments].join(".")}:${className}` };
}

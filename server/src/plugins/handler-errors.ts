import { relativeToProject } from "./project-paths.ts";

/** A handlerPath that cannot be turned into a BaseJob class; the message says what to fix. */
export class HandlerPathError extends Error {
  override readonly name = "HandlerPathError";
  readonly code = "HANDLER_INVALID";
  readonly handlerPath: string;
  /**
   * Which problem, for clients that word it themselves: HANDLER_PATH_INVALID (syntax),
   * HANDLER_ROOT_UNKNOWN, HANDLER_NOT_FOUND, HANDLER_OUTSIDE_ROOT, HANDLER_IMPORT_FAILED,
   * HANDLER_EXPORT_MISSING, HANDLER_NOT_A_JOB.
   */
  readonly reason: string;
  /** The values the reason names besides handlerPath (className, detail). */
  readonly params: Record<string, string>;
  constructor(
    handlerPath: string,
    problem: string,
    options?: { cause?: unknown; reason?: string; params?: Record<string, string> },
  ) {
    // Module file paths in the problem are shown relative to the project root.
    super(`handlerPath "${handlerPath}": ${relativeToProject(problem)}`, options);
    this.handlerPath = handlerPath;
    this.reason = options?.reason ?? "HANDLER_PATH_INVALID";
    this.params = options?.params ?? {};
  }
}

/** One problem with a field of a job definition, e.g. `publicCfg.base_url`. */
export interface FieldError {
  field: string;
  message: string;
  /** Stable code (validation/issue-codes.ts, or a HandlerPathError's reason) and its parameters. */
  code?: string;
  params?: Record<string, string | number>;
}

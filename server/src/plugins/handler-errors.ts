import { relativeToProject } from "./project-paths.ts";

/** A handlerPath that cannot be turned into a BaseJob class; the message says what to fix. */
export class HandlerPathError extends Error {
  override readonly name = "HandlerPathError";
  readonly code = "HANDLER_INVALID";
  readonly handlerPath: string;
  /** Which problem, for clients that word it themselves: HANDLER_PATH_INVALID (syntax), HANDLER_ROOT_UNKNOWN, HANDLER_NOT_FOUND. */
  readonly reason: string;
  constructor(
    handlerPath: string,
    problem: string,
    options?: { cause?: unknown; reason?: string },
  ) {
    // Module file paths in the problem are shown relative to the project root.
    super(`handlerPath "${handlerPath}": ${relativeToProject(problem)}`, options);
    this.handlerPath = handlerPath;
    this.reason = options?.reason ?? "HANDLER_PATH_INVALID";
  }
}

/** One problem with a field of a job definition, e.g. `publicCfg.base_url`. */
export interface FieldError {
  field: string;
  message: string;
}

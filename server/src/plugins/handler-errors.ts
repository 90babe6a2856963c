import { relativeToProject } from "./project-paths.ts";

/** A handlerPath that cannot be turned into a BaseJob class; the message says what to fix. */
export class HandlerPathError extends Error {
  override readonly name = "HandlerPathError";
  readonly code = "HANDLER_INVALID";
  readonly handlerPath: string;
  constructor(
    handlerPath: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    // Module file paths in the problem are shown relative to the project root.
    super(`handlerPath "${handlerPath}": ${relativeToProject(problem)}`, options);
    this.handlerPath = handlerPath;
  }
}

/** One problem with a field of a job definition, e.g. `publicCfg.base_url`. */
export interface FieldError {
  field: string;
  message: string;
}

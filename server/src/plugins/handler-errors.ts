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
    super(`handlerPath "${handlerPath}": ${problem}`, options);
    this.handlerPath = handlerPath;
  }
}

/** One problem with a field of a job definition, e.g. `publicCfg.base_url`. */
export interface FieldError {
  field: string;
  message: string;
}

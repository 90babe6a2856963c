import { inspect } from "node:util";
import { relativeToProject } from "../plugins/project-paths.ts";

export interface FailureText {
  /** One line: `Name: message`. */
  message: string;
  /** The stack, then each `cause` in turn. */
  traceback: string;
}

const MAX_CAUSES = 10;

function describeValue(value: unknown): string {
  return typeof value === "string" ? value : inspect(value, { depth: 4, breakLength: 120 });
}

function stackOf(error: Error): string {
  // The stack's first line was written when the error was built, before a subclass's `name`
  // field was set; rebuild it from the final name and message and keep only the frames.
  const frames = (typeof error.stack === "string" ? error.stack.split("\n") : []).filter((l) => /^\s+at\s/.test(l));
  let text = [`${error.name}: ${error.message}`, ...frames].join("\n");
  if (error instanceof AggregateError && error.errors.length) {
    text += error.errors.map((e, i) => `\n  [${i}] ${e instanceof Error ? `${e.name}: ${e.message}` : describeValue(e)}`).join("");
  }
  return text;
}

/** Anything a handler may throw (Error, string, object, undefined), as message and traceback. */
export function describeFailure(thrown: unknown): FailureText {
  if (!(thrown instanceof Error)) {
    const shown = describeValue(thrown);
    return {
      message: shown === "" ? `Handler threw an empty ${typeof thrown}` : shown,
      traceback: `Handler threw a non-Error value (${thrown === null ? "null" : typeof thrown}): ${shown}\n(throw an Error to get a stack trace)`,
    };
  }
  const parts = [stackOf(thrown)];
  const seen = new Set<unknown>([thrown]);
  let cause = thrown.cause;
  for (let i = 0; cause !== undefined && i < MAX_CAUSES && !seen.has(cause); i++) {
    seen.add(cause);
    parts.push(`Caused by: ${cause instanceof Error ? stackOf(cause) : describeValue(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  // Stack frames name files relative to the project root: tracebacks are shown to viewers.
  return { message: relativeToProject(`${thrown.name}: ${thrown.message}`), traceback: relativeToProject(parts.join("\n")) };
}

/** One `connecthub <name>` subcommand; lives in cli/commands/<name>.ts as the default export. */
export interface Command {
  name: string;
  /** One line for `connecthub help`. */
  summary: string;
  /** Full usage text for `connecthub <name> --help`. */
  usage: string;
  run(args: string[]): Promise<number | void>;
}

export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "CLI_USAGE";
}

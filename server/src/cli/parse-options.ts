import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./command.ts";

/** node:util parseArgs, with its errors turned into UsageError (one line, exit 1, usage hint). */
export function parseOptions<O extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.split("\n")[0]} (see \`connecthub ${command} --help\`)`);
  }
}

/** Prints a block that stands out in a terminal and in `docker compose logs`. */
export function loudWarning(lines: string[]): void {
  const bar = "!".repeat(78);
  process.stderr.write([bar, ...lines.map((l) => `!! ${l}`), bar].join("\n") + "\n");
}

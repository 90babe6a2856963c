// The CLI (`node server/src/cli/main.js <command>`; main.js turns the compile cache on first).
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { exitWithError } from "../process.ts";
import type { Command } from "./command.ts";

const COMMANDS_DIR = fileURLToPath(new URL("./commands", import.meta.url));

function commandNames(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function load(name: string): Promise<Command> {
  return (await import(new URL(`./commands/${name}.ts`, import.meta.url).href)).default as Command;
}

async function help(): Promise<void> {
  const lines = ["Usage: connecthub <command> [options]   (npm run cli -- <command> ...)", "", "Commands:"];
  for (const name of commandNames()) lines.push(`  ${name.padEnd(14)} ${(await load(name)).summary}`);
  lines.push("", "Run `connecthub <command> --help` for a command's options.");
  process.stdout.write(lines.join("\n") + "\n");
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") return help();
  if (!commandNames().includes(name)) {
    process.stderr.write(`connecthub: unknown command "${name}". Run \`connecthub help\` for the list.\n`);
    process.exit(2);
  }
  const command = await load(name);
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(command.usage + "\n");
    return;
  }
  const code = await command.run(args);
  // Commands that start servers never return; the others end the process with their status.
  if (typeof code === "number") process.exit(code);
}

main(process.argv.slice(2)).catch(exitWithError);

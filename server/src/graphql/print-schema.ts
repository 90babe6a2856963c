// Writes server/schema.graphql from the Pothos schema; `--check` exits 1 when the file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { printedSdl, SDL_PATH } from "./sdl.ts";

const sdl = printedSdl();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(SDL_PATH, "utf8");
  } catch {
    current = "";
  }
  if (current !== sdl) {
    process.stderr.write(`${SDL_PATH} is out of date: run \`npm run schema:print\`.\n`);
    process.exit(1);
  }
  process.stdout.write(`${SDL_PATH} is up to date.\n`);
} else {
  writeFileSync(SDL_PATH, sdl);
  process.stdout.write(`wrote ${SDL_PATH}\n`);
}

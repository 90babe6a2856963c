// Writes server/schema.graphql from the Pothos schema, and the job rules' JSON Schema the admin's
// editor imports; `--check` exits 1 when either file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { JOB_RULES_JSON_PATH, printedJobRules } from "./job-input/job-rules-json.ts";
import { printedSdl, SDL_PATH } from "./sdl.ts";

const outputs: Array<[string, string]> = [
  [SDL_PATH, printedSdl()],
  [JOB_RULES_JSON_PATH, printedJobRules()],
];
if (process.argv.includes("--check")) {
  let stale = false;
  for (const [file, text] of outputs) {
    let current = "";
    try {
      current = readFileSync(file, "utf8");
    } catch {
      current = "";
    }
    if (current !== text) {
      process.stderr.write(`${file} is out of date: run \`npm run schema:print\`.\n`);
      stale = true;
    } else {
      process.stdout.write(`${file} is up to date.\n`);
    }
  }
  if (stale) process.exit(1);
} else {
  for (const [file, text] of outputs) {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}

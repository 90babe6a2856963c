// `prisma generate` only checks that a schema-engine binary exists; it never runs it.
// Prisma cannot download that binary on offline machines, so point it at any executable.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
execFileSync(process.execPath, [prismaCli, "generate"], { stdio: "inherit", env });

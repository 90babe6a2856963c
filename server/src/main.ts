// `node server/src/main.ts [all|api|worker]`: the process entry (`npm start` and the compose files
// run it; operators' own scripts may too). Node strips the types of the TypeScript it imports, and
// its compile cache keeps that stripped code (and V8's compiled code) between starts, so a warm
// start strips nothing. The cache is turned on here before the app's modules are imported. This
// file itself is read before that line: the npm scripts set NODE_COMPILE_CACHE so it comes from
// the cache too (without it, each start strips this one file and so loads the stripper: ~100 ms,
// ~16 MB RSS). Kept free of type syntax. (The CLI's entry is server/src/cli/main.js.)
import { enableCompileCache } from "node:module";

enableCompileCache();
const { exitWithError, runProcess } = await import("./process.ts");
runProcess(process.argv[2]).catch(exitWithError);

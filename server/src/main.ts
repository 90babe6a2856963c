// `node server/src/main.ts [all|api|worker]`: Node runs the TypeScript itself (type stripping).
// The compile cache keeps compiled code between starts (~a quarter less start-up CPU). It must be
// on before the app's modules are parsed, so they are imported dynamically, after it.
import { enableCompileCache } from "node:module";

enableCompileCache();
const { exitWithError, runProcess } = await import("./process.ts");
runProcess(process.argv[2]).catch(exitWithError);

// `node server/src/main.js [all|api|worker]`. Plain JavaScript on purpose: Node strips the types of
// the TypeScript it imports, and the compile cache keeps that stripped code (and V8's compiled
// code) between starts. The cache must be on before any TypeScript is read, and this file itself
// is read before: were it TypeScript, every start would strip it and so load the stripper (a wasm
// module, ~16 MB RSS and ~100 ms) for one file. The app's modules are imported after the cache is on.
import { enableCompileCache } from "node:module";

enableCompileCache();
const { exitWithError, runProcess } = await import("./process.ts");
runProcess(process.argv[2]).catch(exitWithError);

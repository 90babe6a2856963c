// `node server/src/cli/main.js <command>`: plain JavaScript for the reason given in ../main.ts
// (the compile cache is on before any TypeScript is read, so no start strips types).
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("./run.ts");

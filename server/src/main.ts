import { exitWithError, runProcess } from "./process.ts";

runProcess(process.argv[2]).catch(exitWithError);

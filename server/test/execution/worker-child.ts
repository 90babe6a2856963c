// A worker process for the tests that must see a real process survive (or stop on SIGTERM):
// only the runtime and the execution engine's worker part, like `connecthub start worker`.
import { parseConfig } from "../../src/config/config.ts";
import { createWorkerPart } from "../../src/execution/worker-part.ts";
import { configureLogger } from "../../src/logging/logger.ts";
import { openRuntime } from "../../src/runtime.ts";

const config = parseConfig(process.env);
await configureLogger({ level: "info", logDir: null });
const runtime = await openRuntime(config);
const worker = createWorkerPart(runtime);
await worker.start();
process.stdout.write("WORKER READY\n");
process.on("SIGTERM", () => {
  void worker
    .stop()
    .then(() => runtime.close())
    .then(() => process.exit(0));
});

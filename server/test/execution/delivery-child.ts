// A worker process whose queue jobs the test delivers by hand (deliver.ts): with the test process
// delivering the same job at the same moment, one queue job reaches two processes.
// stdin "load <id>" reads the queue job's record ("loaded <id>"), so that "deliver <id>" starts at
// once and works even after another delivery completed and removed it ("delivered <id>").
import { createInterface } from "node:readline";
import type { JobParameters } from "agenda";
import { parseConfig } from "../../src/config/config.ts";
import { createWorkerPart } from "../../src/execution/worker-part.ts";
import { configureLogger } from "../../src/logging/logger.ts";
import { openRuntime } from "../../src/runtime.ts";
import { deliverQueueJob, loadQueueJob } from "./deliver.ts";

const config = parseConfig(process.env);
await configureLogger({ level: "warn", logDir: null });
const runtime = await openRuntime(config);
const worker = createWorkerPart(runtime);
await worker.start();
const { agenda } = runtime.queue;
const records = new Map<string, JobParameters>();
createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, id] = line.trim().split(" ");
  if (!id) return;
  const done =
    command === "load"
      ? loadQueueJob(agenda, id).then((record) => void records.set(id, record))
      : command === "deliver"
        ? deliverQueueJob(agenda, records.get(id) ?? id)
        : null;
  done?.then(
    () => process.stdout.write(`${command}ed ${id}\n`),
    (err: unknown) => process.stdout.write(`failed ${command} ${id} ${String(err)}\n`),
  );
});
process.stdout.write("WORKER READY\n");
process.on("SIGTERM", () => {
  void worker
    .stop()
    .then(() => runtime.close())
    .then(() => process.exit(0));
});

// A RunContext for calling a job's run() directly in tests, the way the execution engine
// will: a real pino logger (kept in memory) and a real AbortController.
import type { RunContext } from "../../src/plugins/base-job.ts";
import { memoryLogger, type MemoryLogger } from "./memory-logger.ts";

export interface TestRun {
  ctx: RunContext;
  controller: AbortController;
  log: MemoryLogger;
}

export function testRun(jobId = "test.job"): TestRun {
  const log = memoryLogger();
  const controller = new AbortController();
  const ctx: RunContext = {
    logger: log.logger.child({ job_id: jobId, log_id: 1 }),
    signal: controller.signal,
    run: { jobId, logId: 1, trigger: "MANUAL", scheduledAt: null, attempt: 1 },
  };
  return { ctx, controller, log };
}

import type { Job } from "agenda";
import type { AppPart } from "../app.ts";
import { logger } from "../logging/logger.ts";
import { configureExtensionRoots, parseExtensionRoots } from "../plugins/extension-roots.ts";
import type { Runtime } from "../runtime.ts";
import { installConsoleCapture } from "./console-capture.ts";
import { RunCancelledError } from "./errors.ts";
import { executeRun, type RunHost } from "./execute-run.ts";
import { installProcessGuards } from "./process-guards.ts";
import { EXECUTE_JOB, type ExecuteJobData } from "./queue-jobs.ts";
import { sweepQueuedRuns } from "./recovery-sweep.ts";
import { notifyRunFinished } from "./webhooks/notify.ts";

const SWEEP_EVERY_MS = 5_000;
/** An aborted handler gets this long to stop before its run is ended without it. */
export const ABORT_GRACE_MS = 5_000;
/** Queue slots beyond WORKER_CONCURRENCY, so the scheduler's own queue jobs never wait behind runs. */
const QUEUE_HEADROOM = 4;
/** After the runs, pending webhooks may hold shutdown this much longer. */
const WEBHOOK_SHUTDOWN_WAIT_MS = 10_000;

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Executes queued runs in this process (roles `all` and `worker`). */
export function createWorkerPart(runtime: Runtime): AppPart {
  const config = runtime.config;
  const active = new Map<number, AbortController>();
  const executions = new Set<Promise<void>>();
  const webhooks = new Set<Promise<void>>();
  let stopping = false;
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  const cleanups: Array<() => void> = [];

  const host: RunHost = {
    runtime,
    workerId: runtime.instanceId,
    active,
    isStopping: () => stopping,
    abortGraceMs: ABORT_GRACE_MS,
    onFinished: (log) => {
      // Off the queue slot: a slow webhook must not hold up the next run.
      const p = notifyRunFinished(runtime, log)
        .catch((err) => logger().error({ err, log_id: log.id }, "webhook notification failed"))
        .finally(() => webhooks.delete(p));
      webhooks.add(p);
    },
  };

  async function processExecuteJob(job: Job<ExecuteJobData>): Promise<void> {
    const logId = Number(job.attrs.data?.logId);
    if (!Number.isInteger(logId)) {
      logger().error({ data: job.attrs.data }, `${EXECUTE_JOB} without a numeric logId; dropped`);
      return;
    }
    const p = executeRun({ ...host, touch: () => job.touch() }, logId, job.attrs._id ? String(job.attrs._id) : null)
      .catch((err) => logger().error({ err, log_id: logId }, "run execution failed inside the engine"))
      .finally(() => executions.delete(p));
    executions.add(p);
    await p;
  }

  function sweep(): void {
    sweeping = sweepQueuedRuns(runtime).catch((err) => logger().warn({ err }, "recovery sweep failed"));
  }

  return {
    name: "worker",
    async start() {
      configureExtensionRoots(parseExtensionRoots(config.EXTENSION_ROOTS));
      installConsoleCapture();
      cleanups.push(installProcessGuards());
      const agenda = runtime.queue.agenda;
      agenda.maxConcurrency(config.WORKER_CONCURRENCY + QUEUE_HEADROOM);
      agenda.define<ExecuteJobData>(EXECUTE_JOB, processExecuteJob, {
        concurrency: config.WORKER_CONCURRENCY,
        // Lock only what this worker can run, leaving the rest to other workers.
        lockLimit: config.WORKER_CONCURRENCY,
        removeOnComplete: true,
      });
      cleanups.push(
        runtime.events.subscribe("run.cancelRequested", ({ logId }) => {
          active.get(logId)?.abort(new RunCancelledError("Cancelled by an operator."));
        }),
      );
      await agenda.start();
      sweep();
      sweepTimer = setInterval(sweep, SWEEP_EVERY_MS);
    },

    /**
     * Stops taking runs, lets running ones finish for SHUTDOWN_GRACE_SECONDS, then aborts them
     * (they end CANCELLED, saying why), and finally stops the queue, which unlocks its queue jobs.
     */
    async stop() {
      stopping = true;
      clearInterval(sweepTimer);
      await sweeping;
      const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
      await Promise.race([Promise.allSettled([...executions]), wait(graceMs)]);
      if (active.size) {
        logger().warn({ runs: [...active.keys()] }, "shutdown grace elapsed; cancelling runs still executing");
        const reason = new RunCancelledError(
          `The worker shut down and the run did not finish within SHUTDOWN_GRACE_SECONDS (${config.SHUTDOWN_GRACE_SECONDS} s); run it again.`,
        );
        for (const controller of active.values()) controller.abort(reason);
      }
      await Promise.allSettled([...executions]);
      await Promise.race([Promise.allSettled([...webhooks]), wait(WEBHOOK_SHUTDOWN_WAIT_MS)]);
      await runtime.queue.agenda.stop(true).catch((err) => logger().warn({ err }, "queue stop failed"));
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

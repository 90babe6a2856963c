import type { Job } from "agenda";
import type { AppPart } from "../app.ts";
import { outageLogger } from "../db/connection-errors.ts";
import { logger } from "../logging/logger.ts";
import { configureExtensionRoots, parseExtensionRoots } from "../plugins/extension-roots.ts";
import type { Runtime } from "../runtime.ts";
import { installConsoleCapture } from "./console-capture.ts";
import { RunCancelledError } from "./errors.ts";
import { startRuns, type RunHost } from "./execute-run.ts";
import { installProcessGuards } from "./process-guards.ts";
import { EXECUTE_JOB, EXECUTE_RUNS, type ExecuteJobData, type ExecuteRunsData, RUNS_PER_QUEUE_JOB } from "./queue-jobs.ts";
import { PreparedStarter } from "./prepared-starter.ts";
import { RunSettler } from "./run-settler.ts";
import { RunSlots } from "./run-slots.ts";
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
  const logSweepFailure = outageLogger();

  const host: RunHost = {
    runtime,
    workerId: runtime.instanceId,
    active,
    slots: new RunSlots(config.WORKER_CONCURRENCY),
    settler: new RunSettler(runtime.prisma, runtime.instanceId),
    starter: new PreparedStarter(runtime, runtime.instanceId),
    isStopping: () => stopping,
    abortGraceMs: ABORT_GRACE_MS,
    onFinished: (log, job) => {
      // Off the queue slot: a slow webhook must not hold up the next run.
      const p = notifyRunFinished(runtime, log, undefined, job ?? undefined)
        .catch((err) => logger().error({ err, log_id: log.id }, "webhook notification failed"))
        .finally(() => webhooks.delete(p));
      webhooks.add(p);
    },
  };

  /** The queue job is done once its runs have started (or been decided otherwise); their ends are tracked here, for shutdown. */
  async function execute(job: Job<ExecuteJobData | ExecuteRunsData>, logIds: number[]): Promise<void> {
    const starting = startRuns(host, logIds, job.attrs._id ? String(job.attrs._id) : null);
    const p = starting
      .then(({ ended }) => ended)
      .catch((err) => logger().error({ err, log_ids: logIds }, "run execution failed inside the engine"))
      .finally(() => executions.delete(p));
    executions.add(p);
    // A failed claim fails the queue job; its runs stay QUEUED for the recovery sweep.
    const { failed } = await starting;
    if (failed) throw failed;
  }

  async function processExecuteJob(job: Job<ExecuteJobData>): Promise<void> {
    const logId = Number(job.attrs.data?.logId);
    if (!Number.isInteger(logId)) {
      logger().error({ data: job.attrs.data }, `${EXECUTE_JOB} without a numeric logId; dropped`);
      return;
    }
    await execute(job, [logId]);
  }

  async function processExecuteRunsJob(job: Job<ExecuteRunsData>): Promise<void> {
    const logIds = job.attrs.data?.logIds;
    if (!Array.isArray(logIds) || !logIds.every(Number.isInteger)) {
      logger().error({ data: job.attrs.data }, `${EXECUTE_RUNS} without a list of numeric logIds; dropped`);
      return;
    }
    await execute(job, logIds);
  }

  function sweep(): void {
    sweeping = sweepQueuedRuns(runtime).catch((err) => logSweepFailure(logger(), err, "recovery sweep failed"));
  }

  return {
    name: "worker",
    async start() {
      configureExtensionRoots(parseExtensionRoots(config.EXTENSION_ROOTS));
      installConsoleCapture();
      cleanups.push(installProcessGuards());
      const agenda = runtime.queue.agenda;
      // Queue jobs of runs lock only what this worker can run, leaving the rest to other workers;
      // the runs they bring share the worker's WORKER_CONCURRENCY run slots.
      const runGroups = Math.ceil(config.WORKER_CONCURRENCY / RUNS_PER_QUEUE_JOB);
      agenda.maxConcurrency(config.WORKER_CONCURRENCY + runGroups + QUEUE_HEADROOM);
      agenda.define<ExecuteJobData>(EXECUTE_JOB, processExecuteJob, {
        concurrency: config.WORKER_CONCURRENCY,
        lockLimit: config.WORKER_CONCURRENCY,
        removeOnComplete: true,
      });
      agenda.define<ExecuteRunsData>(EXECUTE_RUNS, processExecuteRunsJob, { concurrency: runGroups, lockLimit: runGroups, removeOnComplete: true });
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

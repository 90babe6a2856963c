import type { Job } from "agenda";
import type { AppPart } from "../app-part.ts";
import { outageLogger } from "../db/connection-errors.ts";
import { logger } from "../logging/logger.ts";
import { configureExtensionRoots, parseExtensionRoots } from "../plugins/extension-roots.ts";
import type { Runtime } from "../runtime.ts";
import { installConsoleCapture } from "./console-capture.ts";
import { RunCancelledError } from "./errors.ts";
import { launchPlainRun, startRuns, type RunHost } from "./execute-run.ts";
import { PlainStarter } from "./plain-starter.ts";
import { installProcessGuards } from "./process-guards.ts";
import { EXECUTE_JOB, EXECUTE_RUNS, RunSettler, runMessage, sweepQueuedRuns, type ExecuteJobData, type ExecuteRunsData } from "../runs/index.ts";
import { PreparedStarter } from "./prepared-starter.ts";
import { RunSlots } from "./run-slots.ts";
import { createPresence } from "../workers/index.ts";

const SWEEP_EVERY_MS = 5_000;
const EARLY_CANCEL_MEMORY_MS = 30_000;
/** An aborted handler gets this long to stop before its run is ended without it. */
export const ABORT_GRACE_MS = 5_000;
/** Queue slots beyond WORKER_CONCURRENCY, so the scheduler's own queue jobs never wait behind runs. */
const QUEUE_HEADROOM = 4;
/** After the runs, pending webhooks may hold shutdown this much longer (within the exit budget). */
const WEBHOOK_SHUTDOWN_WAIT_MS = 5_000;
/**
 * How long a queue job of runs stays locked without being touched. Short, so that when a worker
 * dies holding one (locked ahead of its instant, or waiting for a run slot) another worker locks
 * it again within seconds, not after Agenda's default minute; a live worker touches what it holds
 * every QUEUE_TOUCH_MS. A lock that expires anyway (a stalled process) only lets another worker
 * try: the run's claim in PostgreSQL still starts it once.
 */
export const QUEUE_LOCK_LIFETIME_MS = 6_000;
const QUEUE_TOUCH_MS = 2_000;
/** At shutdown, how long to wait for Agenda to save the queue jobs this worker ran as ended. */
const QUEUE_SAVE_WAIT_MS = 2_000;

/** How long ago the queue job was locked (Infinity when it carries no lock time). */
export function lockAgeMs(job: Pick<Job, "attrs">, now = Date.now()): number {
  const lockedAt = job.attrs.lockedAt;
  return lockedAt ? now - new Date(lockedAt).getTime() : Number.POSITIVE_INFINITY;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export interface WorkerPartOptions {
  /** The process role, recorded in the worker's presence row (default `worker`). */
  role?: "worker" | "all";
}

/** Executes queued runs in this process (roles `all` and `worker`). */
export function createWorkerPart(runtime: Runtime, options: WorkerPartOptions = {}): AppPart {
  const config = runtime.config;
  const active = new Map<number, AbortController>();
  // Seen alive on the dashboard from start to a graceful stop, idle or not (workers/).
  const presence = createPresence({
    prisma: runtime.prisma,
    workerId: runtime.instanceId,
    role: options.role ?? "worker",
    runSlots: config.WORKER_CONCURRENCY,
    heartbeatSeconds: config.HEARTBEAT_SECONDS,
    runsInFlight: () => active.size,
  });
  const executions = new Set<Promise<void>>();
  const webhooks = new Set<Promise<void>>();
  let stopping = false;
  let stopController = new AbortController();
  /** Agenda's processor stopping (locks of queue jobs not yet running released), once told to stop. */
  let queueStopped: Promise<unknown> | null = null;
  let stopBegan = 0;
  /** Queue jobs whose handler ran here and that Agenda has not yet saved as ended (unlocked), by id. */
  const unsaved = new Map<string, { saved: Promise<void>; resolve: () => void }>();
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  const cleanups: Array<() => void> = [];
  const logSweepFailure = outageLogger();

  /**
   * Cancels heard for runs not executing here, by log id, with when: a run the PlainStarter takes
   * from the queue is registered only once its claim returns, and a cancel made just after that
   * claim committed can be heard first. Forgotten after EARLY_CANCEL_MEMORY_MS (the heartbeat, which
   * returns the cancel too, covers anything later).
   */
  const earlyCancels = new Map<number, number>();
  const register = (logId: number): AbortController => {
    const controller = new AbortController();
    active.set(logId, controller);
    if (earlyCancels.delete(logId)) controller.abort(new RunCancelledError(runMessage("RUN_CANCELLED")));
    return controller;
  };
  const slots = new RunSlots(config.WORKER_CONCURRENCY);
  const host: RunHost = {
    runtime,
    workerId: runtime.instanceId,
    active,
    slots,
    settler: new RunSettler(runtime.prisma, runtime.instanceId),
    starter: new PreparedStarter(runtime, runtime.instanceId, () => stopping),
    plainStarter: new PlainStarter({
      runtime,
      workerId: runtime.instanceId,
      slots,
      active,
      register,
      launch: (start, controller, freeSlot) => launchPlainRun(host, start, controller, freeSlot),
      track: (ended) => {
        const p = ended.finally(() => executions.delete(p));
        executions.add(p);
      },
      takeWaiting: runtime.queue.backend === "postgres",
      isStopping: () => stopping,
      get stopSignal() {
        return stopController.signal;
      },
    }),
    isStopping: () => stopping,
    get stopSignal() {
      return stopController.signal;
    },
    abortGraceMs: ABORT_GRACE_MS,
    trackWebhooks: (notified) => {
      // Off the queue slot: a slow webhook must not hold up the next run (finalizeRun never rejects).
      const p = notified.finally(() => webhooks.delete(p));
      webhooks.add(p);
    },
  };

  /** The queue job is done once its runs have started (or been decided otherwise); their ends are tracked here, for shutdown. */
  async function execute(job: Job<ExecuteJobData | ExecuteRunsData>, logIds: number[]): Promise<void> {
    const stopTouching = keepLocked(job);
    const id = String(job.attrs._id);
    if (!unsaved.has(id)) {
      let resolve = () => {};
      const saved = new Promise<void>((r) => (resolve = r)).then(() => void unsaved.delete(id));
      unsaved.set(id, { saved, resolve });
    }
    const starting = startRuns(host, logIds, job.attrs._id ? String(job.attrs._id) : null);
    const p = starting
      .then(({ ended }) => ended)
      .catch((err) => logger().error({ err, log_ids: logIds }, "run execution failed inside the engine"))
      .finally(() => executions.delete(p));
    executions.add(p);
    try {
      // A failed claim fails the queue job; its runs stay QUEUED for the recovery sweep.
      const { failed } = await starting;
      if (failed) throw failed;
    } finally {
      await stopTouching();
    }
    await removeDone(job);
  }

  /**
   * Its runs have started, or were decided otherwise, or went back to the queue in a queue job of
   * their own: the queue job is done, and removed here. Agenda's own end of the job (an UPDATE that
   * saves it unlocked and finished) then finds nothing left to write, and it removes nothing itself
   * (removeOnComplete is off: see the definitions). Should this fail, the job stays as Agenda saved
   * it, finished and never due again.
   */
  async function removeDone(job: Job): Promise<void> {
    if (!job.attrs._id) return;
    await runtime.queue.agenda.cancel({ id: job.attrs._id }).catch((err) => logger().debug({ err, queue_job: String(job.attrs._id) }, "removing a done queue job failed; the queue removes it"));
  }

  /**
   * Touches the queue job's lock while this worker holds it (QUEUE_LOCK_LIFETIME_MS is short);
   * the returned function stops and waits for a touch in flight, so none lands after the job ends.
   */
  function keepLocked(job: Job): () => Promise<void> {
    let touching: Promise<void> = Promise.resolve();
    const touch = () => {
      touching = touching.then(() => job.touch()).catch((err) => logger().debug({ err, queue_job: String(job.attrs._id) }, "queue job lock touch failed"));
    };
    // A lock taken just now needs no touch yet (most queue jobs are done within a touch period: one
    // write less per run); one locked a while ago (ahead of its instant, or waiting for a queue slot) does.
    if (lockAgeMs(job) >= QUEUE_TOUCH_MS) touch();
    const timer = setInterval(touch, QUEUE_TOUCH_MS);
    return async () => {
      clearInterval(timer);
      await touching;
    };
  }

  async function processExecuteJob(job: Job<ExecuteJobData>): Promise<void> {
    const logId = Number(job.attrs.data?.logId);
    if (!Number.isInteger(logId)) {
      logger().error({ data: job.attrs.data }, `${EXECUTE_JOB} without a numeric logId; dropped`);
      return removeDone(job);
    }
    await execute(job, [logId]);
  }

  async function processExecuteRunsJob(job: Job<ExecuteRunsData>): Promise<void> {
    const logIds = job.attrs.data?.logIds;
    if (!Array.isArray(logIds) || !logIds.every(Number.isInteger)) {
      logger().error({ data: job.attrs.data }, `${EXECUTE_RUNS} without a list of numeric logIds; dropped`);
      return removeDone(job);
    }
    await execute(job, logIds);
  }

  function sweep(): void {
    for (const [logId, heard] of earlyCancels) if (Date.now() - heard > EARLY_CANCEL_MEMORY_MS) earlyCancels.delete(logId);
    sweeping = sweepQueuedRuns(runtime).catch((err) => logSweepFailure(logger(), err, "recovery sweep failed"));
  }

  /**
   * Takes no new work from now on: no queue job is locked any more, the ones locked but not yet
   * running are unlocked for other workers at once, and runs held but not started (waiting for
   * their instant or a run slot) are handed back (startRuns). Runs already started go on.
   */
  function quiesce(): void {
    if (stopping) return;
    stopping = true;
    stopBegan = Date.now();
    stopController.abort();
    clearInterval(sweepTimer);
    presence.markStopping();
    // false: keep the store's connection; queue jobs still running save their state through it
    // (runtime.close closes it).
    queueStopped = runtime.queue.agenda.stop(false).catch((err) => logger().warn({ err }, "stopping the queue processor failed"));
  }

  return {
    name: "worker",
    async start() {
      stopping = false;
      stopController = new AbortController();
      queueStopped = null;
      configureExtensionRoots(parseExtensionRoots(config.EXTENSION_ROOTS));
      installConsoleCapture();
      cleanups.push(installProcessGuards());
      const agenda = runtime.queue.agenda;
      // The runs queue jobs bring share the worker's WORKER_CONCURRENCY run slots. A queue job of
      // runs holds a queue slot mostly while it waits for its instant (RUNS_LEAD_MS), not a run
      // slot, and Agenda locks new ones only once a poll (processEvery): with a slot or two for them,
      // every-second jobs (whose slots were planned in separate passes, so one instant has several
      // groups) queued faster than they started and piled up QUEUED. A group brings at least one
      // run, so WORKER_CONCURRENCY groups are never more than this worker could start at once.
      const runGroups = config.WORKER_CONCURRENCY;
      agenda.maxConcurrency(config.WORKER_CONCURRENCY + runGroups + QUEUE_HEADROOM);
      // On the PostgreSQL queue a worker locks one execute job at a time: its plain run's claim also
      // takes as many runs still waiting in the queue as there are free run slots (PlainStarter), so
      // a queue lock per run would only hold runs back from that claim and from other workers. On
      // MongoDB each run comes through a lock of its own.
      const plainLocks = runtime.queue.backend === "postgres" ? 1 : config.WORKER_CONCURRENCY;
      agenda.define<ExecuteJobData>(EXECUTE_JOB, processExecuteJob, {
        concurrency: plainLocks,
        lockLimit: plainLocks,
        lockLifetime: QUEUE_LOCK_LIFETIME_MS,
        // The worker removes its queue jobs itself (removeDone). Agenda's own removal would come
        // after its 'complete' event and before it counts the job unlocked, so the refill that event
        // asks for (queue.ts refillOnCompletion) would find this worker still at its lock limit and
        // lock nothing until the next poll; it would also be one more statement per queue job.
        removeOnComplete: false,
      });
      // Plain runs queued anywhere wake the PlainStarter, which takes them into free run slots in
      // one statement; the queue's poll still locks the queue jobs of plain runs it leaves (retries,
      // runs handed back).
      if (runtime.queue.backend === "postgres") {
        cleanups.push(runtime.queue.divertWakeUps(EXECUTE_JOB, () => host.plainStarter.poke()));
        // What waits already (queued while no worker was up), and at the queue's poll pace what a
        // lost wake-up would leave waiting: a Run Now's row is its own queue entry, no poll finds it.
        const takeTimer = setInterval(() => host.plainStarter.poke(), config.QUEUE_POLL_MS);
        cleanups.push(() => clearInterval(takeTimer));
      }
      agenda.define<ExecuteRunsData>(EXECUTE_RUNS, processExecuteRunsJob, {
        concurrency: runGroups,
        lockLimit: runGroups,
        lockLifetime: QUEUE_LOCK_LIFETIME_MS,
        removeOnComplete: false,
      });
      cleanups.push(
        runtime.events.subscribe("run.cancelRequested", ({ logId }) => {
          const controller = active.get(logId);
          if (controller) controller.abort(new RunCancelledError(runMessage("RUN_CANCELLED")));
          else earlyCancels.set(logId, Date.now());
        }),
      );
      const onComplete = (job: unknown) => {
        const id = (job as { attrs?: { _id?: unknown } }).attrs?._id;
        if (id !== undefined) unsaved.get(String(id))?.resolve();
      };
      agenda.on("complete", onComplete);
      cleanups.push(() => agenda.off("complete", onComplete));
      await agenda.start();
      host.plainStarter.poke();
      sweep();
      sweepTimer = setInterval(sweep, SWEEP_EVERY_MS);
      await presence.start();
    },

    quiesce,

    /**
     * Stops taking work (quiesce), lets running runs finish for SHUTDOWN_GRACE_SECONDS, then
     * aborts them: they end CANCELLED, saying the worker shut down (a handler that ignores its
     * signal is ended without it after ABORT_GRACE_MS). Webhooks get what is left of
     * SHUTDOWN_GRACE_SECONDS + 7 s, so the process exits within SHUTDOWN_GRACE_SECONDS + 10 s.
     */
    async stop() {
      quiesce();
      const started = stopBegan;
      await queueStopped;
      await sweeping;
      const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
      await Promise.race([Promise.allSettled([...executions]), wait(graceMs - (Date.now() - started))]);
      if (active.size) {
        logger().warn({ runs: [...active.keys()] }, "shutdown grace elapsed; cancelling runs still executing");
        const reason = new RunCancelledError(runMessage("RUN_WORKER_SHUTDOWN", { seconds: config.SHUTDOWN_GRACE_SECONDS }));
        for (const controller of active.values()) controller.abort(reason);
      }
      await Promise.allSettled([...executions]);
      // What is left of grace + 7 s, at most WEBHOOK_SHUTDOWN_WAIT_MS: the process exits within grace + 10 s.
      const budget = started + graceMs + 7_000 - Date.now();
      await Promise.race([Promise.allSettled([...webhooks]), wait(Math.max(0, Math.min(WEBHOOK_SHUTDOWN_WAIT_MS, budget)))]);
      // Agenda saves a queue job as ended (unlocked, or removed) just after its handler returns:
      // let it, so no lock outlives this process for another worker to wait out.
      await Promise.race([Promise.allSettled([...unsaved.values()].map((u) => u.saved)), wait(QUEUE_SAVE_WAIT_MS)]);
      await presence.stop();
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

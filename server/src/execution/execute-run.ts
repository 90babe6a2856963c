import { DateTime } from "luxon";
import type { Job, JobLog, Prisma } from "../generated/prisma/client.ts";
import type { JobStatus } from "../generated/prisma/enums.ts";
import { logContext, type LogRecord } from "../logging/log-context.ts";
import { logger } from "../logging/logger.ts";
import { recordRunFinished, recordRunStarted } from "../observability/record.ts";
import { withTrace } from "../observability/trace-context.ts";
import { startSpan, type OpenSpan } from "../observability/tracing.ts";
import type { RunContext } from "../plugins/base-job.ts";
import type { Runtime } from "../runtime.ts";
import {
  finalizeRun,
  flushRunLog,
  handBackRuns,
  heartbeatRun,
  isFiredRun,
  parseSnapshot,
  publishSafely,
  publishStatus,
  queueExecuteJob,
  RUNS_LEAD_MS,
  runMessage,
  stuckRunMessage,
  type RunMessage,
  type RunMessageParams,
  type PlainStart,
  type RunSettler,
  type RunSnapshot,
} from "../runs/index.ts";
import type { WebhookSettings } from "../webhooks/index.ts";
import { claimRuns, loadQueuedRuns, prepareClaims } from "./claim.ts";
import type { PlainStarter } from "./plain-starter.ts";
import type { PreparedStarter } from "./prepared-starter.ts";
import type { RunSlots } from "./run-slots.ts";
import { ConfigInvalidError, RunCancelledError, RunTimeoutError, SecretConfigError } from "./errors.ts";
import { describeFailure } from "./failure.ts";
import { preloadHandler, prepareRun } from "./prepare.ts";
import { formatRecord } from "./log-format.ts";
import { RunLog, composeMessage } from "./run-log.ts";
import { createRunLogger } from "./run-logger.ts";
import { toStoredResult } from "./run-result.ts";
import { SecretScrubber } from "./secret-scrubber.ts";
import { settleWithGrace, type Outcome } from "./settle.ts";

const FLUSH_EVERY_MS = 1000;
/** A planned slot's execute job this close to its instant waits for it; earlier, it is queued again for it. */
const EARLY_WAIT_MS = RUNS_LEAD_MS + 1500;

/** What the worker part lends each run. */
export interface RunHost {
  runtime: Runtime;
  workerId: string;
  /** Runs executing in this process, by log id: cancel events and shutdown abort them. */
  active: Map<number, AbortController>;
  /** WORKER_CONCURRENCY: one slot per executing run. */
  slots: RunSlots;
  /** Starts prepared runs (several queue jobs' runs per statement when they come due together). */
  starter: PreparedStarter;
  /** Starts plain runs (several per statement: a wave of free run slots). */
  plainStarter: PlainStarter;
  /** Stores runs' final states (several per statement when runs end together). */
  settler: RunSettler;
  isStopping(): boolean;
  /** Aborts when the worker is told to stop: waits for an instant or a run slot end at once. */
  stopSignal: AbortSignal;
  /** How long an aborted handler may take to stop before the run is ended without it. */
  abortGraceMs: number;
  /** Handed each settled run's webhooks in flight (finalizeRun's `notified`): shutdown waits for them a while. */
  trackWebhooks?: (notified: Promise<void>) => void;
}

interface Final {
  status: JobStatus;
  message: RunMessage;
  traceback: string | null;
  result: unknown;
}

/**
 * Starts the runs `logIds` name that are still QUEUED (one for Run Now, a retry or a re-queued run;
 * up to RUNS_PER_QUEUE_JOB of a planned slot): one entry point for every kind of run. Each run holds
 * one of the worker's run slots until its handler settles (its final state is stored after, off
 * the slot); as many as are free are claimed together, in one statement. The snapshot stored in
 * the log is what runs.
 *
 * The claim (a conditional QUEUED → RUNNING update) is the only way to a handler: a queue that
 * delivers this queue job twice, here or to another worker, gets the run once.
 *
 * Resolves once every run has started or been decided otherwise (withdrawn, skipped, taken by
 * another worker, handed back by a stopping worker), with `ended` for when the started ones end:
 * the queue job is done then, since a run in progress is watched through its heartbeats, not the
 * queue's lock. A claim that fails (the database) stops there with `failed`: runs not claimed stay
 * QUEUED for the recovery sweep, those already started go on. Never rejects for anything a handler does.
 */
export async function startRuns(
  host: RunHost,
  logIds: readonly number[],
  queueJobId: string | null,
): Promise<{ ended: Promise<void>; failed?: unknown }> {
  const { runtime } = host;
  if (logIds.length === 1 && !host.isStopping()) {
    const started = await startPlainRun(host, logIds[0]!, queueJobId);
    if (started) return started;
  }
  const running: Promise<void>[] = [];
  const result = { ended: Promise.resolve() };
  let pending = await loadQueuedRuns(runtime, logIds);
  if (pending.length === 0) return result;
  if (host.isStopping()) {
    await handBackRuns(runtime, pending, queueJobId);
    return result;
  }

  // A planned slot handed over early (the recovery sweep queues for "now"): back to its instant.
  const early = pending.filter((log) => untilDue(log) > EARLY_WAIT_MS);
  for (const log of early) await queueExecuteJob(runtime, log, queueJobId);
  pending = pending.filter((log) => !early.includes(log));
  // Planned runs are handed over RUNS_LEAD_MS ahead: what can be read and judged before their
  // instant is, so the claim at the instant is one statement. (A timer may also fire a hair early:
  // a slot never starts early.) A worker told to stop meanwhile hands them back at once, so another
  // worker starts them at their instant.
  const prepared = await prepareClaims(runtime, pending);
  warmUp(prepared.starts.values(), runtime.config.TIMEZONE);
  // A timer may fire a millisecond before Date.now() reaches its end (Node rounds timers to whole
  // milliseconds on a monotonic clock): wait again until no run would start before its slot.
  for (let wait = Math.max(0, ...pending.map(untilDue)); wait > 0 && !host.isStopping(); wait = Math.max(0, ...pending.map(untilDue))) {
    await abortableDelay(wait, host.stopSignal);
  }

  const ended = () => Promise.all(running).then(() => undefined);
  while (pending.length) {
    const taken = await host.slots.acquireUpTo(pending.length, host.stopSignal);
    if (taken === 0 || host.isStopping()) {
      host.slots.release(taken);
      await handBackRuns(runtime, pending, queueJobId);
      break;
    }
    const batch = pending.splice(0, taken);
    // Registered before the claim, so a cancel event sent the moment a run starts is not missed.
    // A run another delivery of the same queue job registered here is left to that delivery.
    const controllers = new Map(batch.filter((log) => !host.active.has(log.id)).map((log) => [log.id, new AbortController()]));
    for (const [id, controller] of controllers) host.active.set(id, controller);
    const ours = batch.filter((log) => controllers.has(log.id));
    let claimed: JobLog[] = [];
    let jobs = new Map<string, Job>();
    try {
      ({ runs: claimed, jobs } = await claimRuns(runtime, ours, host.workerId, queueJobId, prepared, host.starter, host.isStopping));
    } catch (error) {
      return { ended: ended(), failed: error };
    } finally {
      const started = new Set(claimed.map((c) => c.id));
      for (const [id, controller] of controllers) if (!started.has(id) && host.active.get(id) === controller) host.active.delete(id);
      host.slots.release(taken - claimed.length);
    }
    for (const run of claimed) {
      const controller = controllers.get(run.id)!;
      // The slot is the handler's: it frees once the handler has settled (or been given up on),
      // so the next run starts while this one's final state is being stored.
      const freeSlot = once(() => host.slots.release(1));
      running.push(
        startClaimed(host, run, controller, jobs.get(run.jobId), freeSlot).finally(() => {
          if (host.active.get(run.id) === controller) host.active.delete(run.id);
          freeSlot();
        }),
      );
    }
    if (host.isStopping()) {
      // The claim stopped short of what it was not to start: those go back with the rest.
      const started = new Set(claimed.map((c) => c.id));
      await handBackRuns(runtime, [...ours.filter((log) => !started.has(log.id)), ...pending], queueJobId);
      break;
    }
  }
  return { ended: ended() };
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    f();
  };
}

/**
 * The lean path of a queue job with one plain run (Run Now, a retry): the worker's PlainStarter
 * claims it with the other plain runs starting in the same wave of free slots, in one statement that
 * returns each run and its job's webhook settings. Null when it started nothing (the run is a fired
 * one, was taken, cancelled or removed meanwhile, or the worker is stopping): startRuns then decides
 * the run as for any queue job.
 */
async function startPlainRun(host: RunHost, logId: number, queueJobId: string | null): Promise<{ ended: Promise<void>; failed?: unknown } | null> {
  const result = await host.plainStarter.start(logId, queueJobId);
  if (result === null) return null;
  return "failed" in result ? { ended: Promise.resolve(), failed: result.failed } : result;
}

/** Runs the handler of a plain run the PlainStarter started (its webhook settings came with the claim). */
export function launchPlainRun(host: RunHost, start: PlainStart, controller: AbortController, freeSlot: () => void): Promise<void> {
  return startClaimed(host, start.run, controller, start.webhook, freeSlot);
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Milliseconds until a fired run's slot (≤ 0 once due, and for manual runs and retries). */
function untilDue(log: JobLog): number {
  return isFiredRun(log) ? log.scheduledAt.getTime() - Date.now() : 0;
}

/**
 * `webhook`: the job's webhook settings as the claim read them (the job of a fired run, the plain
 * claim's join), for finalizeRun; undefined: finalizeRun reads them.
 */
async function startClaimed(host: RunHost, run: JobLog, controller: AbortController, webhook: WebhookSettings | undefined, handlerDone: () => void): Promise<void> {
  // Not awaited before the handler starts: every event of this process goes out on one ordered
  // channel, so RUNNING still reaches listeners before the run's output and its end.
  void publishStatus(host.runtime, run, "RUNNING");
  if (run.cancelRequestedAt) controller.abort(new RunCancelledError(runMessage("RUN_CANCELLED_AT_START")));
  await runClaimed(host, run, controller, webhook, handlerDone).catch((err) => logger().error({ err, log_id: run.id }, "run execution failed inside the engine"));
}

/**
 * In the lead before an instant: what the runs' first start in this process would otherwise load
 * between their start and their handler (the handler module, the run log's time zone) is loaded now.
 */
function warmUp(starts: Iterable<{ snapshot: RunSnapshot | null }>, fallbackZone: string): void {
  const zones = new Set<string>();
  for (const { snapshot } of starts) {
    if (!snapshot) continue;
    preloadHandler(snapshot);
    zones.add(zoneFor(snapshot, fallbackZone));
  }
  for (const zone of zones) formatRecord({ level: 30, time: Date.now(), msg: "" } as LogRecord, zone);
}

function zoneFor(snapshot: RunSnapshot | null, fallback: string): string {
  const zone = snapshot?.meta.timezone;
  return zone && DateTime.local().setZone(zone).isValid ? zone : fallback;
}

async function runClaimed(host: RunHost, log: JobLog, controller: AbortController, webhook: WebhookSettings | undefined, handlerDone: () => void): Promise<void> {
  // The run's secret values are masked in all process output from decryption until both the run
  // is stored and its handler has settled (one that ignored its abort may still be logging).
  const scrubber = new SecretScrubber();
  const release = scrubber.track();
  let handlerSettled: Promise<unknown> = Promise.resolve();
  try {
    await runTracked(host, log, controller, webhook, scrubber, (work) => (handlerSettled = work), handlerDone);
  } finally {
    void handlerSettled.then(release, release);
  }
}

async function runTracked(
  host: RunHost,
  log: JobLog,
  controller: AbortController,
  webhook: WebhookSettings | undefined,
  scrubber: SecretScrubber,
  onWork: (work: Promise<unknown>) => void,
  handlerDone: () => void,
): Promise<void> {
  const { runtime } = host;
  const config = runtime.config;
  const started = performance.now();
  recordRunStarted(log, new Date());
  let snapshot: RunSnapshot | null = null;
  let snapshotError: unknown;
  try {
    snapshot = parseSnapshot(log.id, log.jobId, log.snapshotParams);
  } catch (error) {
    snapshotError = error;
  }

  const runLog = new RunLog({
    maxBytes: config.RUN_LOG_MAX_BYTES,
    zone: zoneFor(snapshot, config.TIMEZONE),
    scrub: scrubber.text,
    // Not awaited: the process's events go out in the order they are published (RUNNING, this
    // run's output, its end), and publishing never fails the run.
    onOutput: (offset, text) => void publishSafely(runtime, "jobLog.output", { logId: log.id, jobId: log.jobId, offset, text }),
  });
  const note = (level: number, msg: string, summarize = false) => runLog.record({ level, time: Date.now(), msg } as LogRecord, summarize);
  const timeoutSeconds = snapshot?.meta.timeout_seconds ?? config.JOB_TIMEOUT_SECONDS;

  // Periodic work while the run is alive: batched log flushes, heartbeat, timeout.
  let flushing = Promise.resolve();
  let flushedBytes = 0;
  const flush = () =>
    (flushing = flushing.then(async () => {
      if (runLog.bytes === flushedBytes) return;
      const bytes = runLog.bytes;
      await flushRunLog(runtime.prisma, log.id, runLog.text(), bytes)
        .then(() => (flushedBytes = bytes))
        .catch((err) => logger().warn({ err, log_id: log.id }, "run log flush failed; retrying at the next one"));
    }));
  const flushTimer = setInterval(() => void flush(), FLUSH_EVERY_MS);
  const heartbeatTimer = setInterval(() => void heartbeat(host, log.id, controller), config.HEARTBEAT_SECONDS * 1000);
  const timeoutTimer = setTimeout(() => controller.abort(new RunTimeoutError(timeoutSeconds)), timeoutSeconds * 1000);

  let outcome: Outcome;
  let runSpan: OpenSpan | null = null;
  try {
    note(30, `Run #${log.id} of ${log.jobId} started on ${host.workerId} (trigger ${log.trigger}, attempt ${log.attempt}, handler ${snapshot?.handler_path ?? "?"}, timeout ${timeoutSeconds} s${log.traceId ? `, trace ${log.traceId}` : ""})`);
    const ctx: RunContext = {
      logger: createRunLogger(),
      signal: controller.signal,
      run: { jobId: log.jobId, logId: log.id, trigger: log.trigger, scheduledAt: log.scheduledAt, attempt: log.attempt },
    };
    runSpan = startSpan("run", "internal", { "connecthub.job_id": log.jobId, "connecthub.log_id": log.id, "connecthub.trigger": log.trigger }, log.traceId);
    const work = withTrace(log.traceId, () => logContext.run({ fields: { job_id: log.jobId, log_id: log.id, trace_id: log.traceId }, capture: (r) => runLog.record(r) }, async () => {
      if (!snapshot) throw snapshotError;
      const prepared = await prepareRun(snapshot, runtime.fernet, (s) => scrubber.add(s));
      controller.signal.throwIfAborted();
      return prepared.handler.run(prepared.params, prepared.secrets, ctx);
    }), runSpan?.spanId);
    onWork(work);
    outcome = await settleWithGrace(work, controller.signal, host.abortGraceMs);
  } finally {
    clearInterval(flushTimer);
    clearInterval(heartbeatTimer);
    clearTimeout(timeoutTimer);
    handlerDone();
  }

  const final = decide(outcome, controller.signal, host.abortGraceMs, note);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  note(final.status === "SUCCESS" ? 30 : 40, `Run ended ${final.status} after ${seconds} s`);
  runLog.close();
  await flushing;
  // run-messages: the stored message is the outcome's English text (then the warnings summary);
  // its code and parameters say the outcome for clients that translate it.
  const base = scrubber.text(final.message.text);
  const message = composeMessage(base, runLog);
  const messageParams = scrubber.value(summarized(final.message.params, base, message)) as RunMessageParams;

  const finishedAt = new Date();
  const result = final.result === null ? null : (scrubber.value(final.result) as Prisma.JsonValue);
  const state = {
    status: final.status,
    message,
    messageCode: final.message.code,
    messageParams,
    traceback: final.traceback === null ? null : scrubber.text(final.traceback),
    runLog: runLog.text(),
    runLogBytes: runLog.bytes,
    result,
    finishedAt,
  };
  if (!(await host.settler.settle(log.id, state))) {
    logger().warn({ log_id: log.id }, "run ended but its log was no longer this worker's to finish (purged or taken over)");
    return;
  }
  const stored: JobLog = { ...log, ...state, heartbeatAt: finishedAt };
  recordRunFinished(log, final.status, Number(seconds));
  runSpan?.end(final.status === "SUCCESS" ? undefined : base);
  logger().info({ job_id: log.jobId, log_id: log.id, status: final.status, seconds: Number(seconds) }, `run ended ${final.status}`);
  // Not awaited: RUNNING, the output and the end go out in order on the process's one event channel.
  // No settings read by the claim (a plain run claimed with others): finalizeRun reads them.
  const { notified } = finalizeRun(runtime, stored, webhook);
  host.trackWebhooks?.(notified);
}

function abortMessage(reason: unknown): RunMessage {
  if (reason instanceof RunCancelledError || reason instanceof RunTimeoutError) return reason.runMessage;
  return reason instanceof Error ? runMessage("RUN_FAILED", { error: reason.message }) : runMessage("RUN_ABORTED");
}

/** `summaryAt`: where the warnings summary starts in the stored message (absent when it has none). */
function summarized(params: RunMessageParams, base: string, message: string): RunMessageParams {
  return message.length > base.length && message.startsWith(base) ? { ...params, summaryAt: base.length } : params;
}

function failed(failure: { message: string }, error: unknown): RunMessage {
  // The engine's own refusals get codes of their own, so the admin words them (the stored text stays the error's).
  if (error instanceof ConfigInvalidError) {
    return runMessage("RUN_CONFIG_INVALID", { error: failure.message, errorCode: error.code, jobId: error.jobId, problems: error.problemsText });
  }
  if (error instanceof SecretConfigError) return runMessage("RUN_SECRET_CONFIG_UNUSABLE", { error: failure.message, errorCode: error.code, jobId: error.jobId });
  const code = (error as { code?: unknown } | null)?.code;
  return runMessage("RUN_FAILED", typeof code === "string" ? { error: failure.message, errorCode: code } : { error: failure.message });
}

/** Turns how the handler settled (and whether it was aborted) into the run's final state. */
function decide(outcome: Outcome, signal: AbortSignal, graceMs: number, note: (level: number, msg: string, summarize?: boolean) => void): Final {
  const reason: unknown = signal.reason;
  const abortStatus: JobStatus = reason instanceof RunTimeoutError ? "FAILURE" : "CANCELLED";
  if (outcome.kind === "stuck") {
    return { status: abortStatus, message: stuckRunMessage(abortMessage(reason), graceMs / 1000), traceback: null, result: null };
  }
  if (outcome.afterAbort) {
    const failure = outcome.kind === "threw" && outcome.error !== reason ? describeFailure(outcome.error) : null;
    return { status: abortStatus, message: abortMessage(reason), traceback: failure ? failure.traceback : null, result: null };
  }
  if (outcome.kind === "threw") {
    const failure = describeFailure(outcome.error);
    note(50, `Run failed: ${failure.message}`);
    return { status: "FAILURE", message: failed(failure, outcome.error), traceback: failure.traceback, result: null };
  }
  try {
    const stored = toStoredResult(outcome.value);
    if (stored.oversizeBytes) note(40, `The result (${stored.oversizeBytes} bytes) is too large to keep; only its size is stored.`, true);
    return { status: "SUCCESS", message: runMessage("RUN_SUCCEEDED"), traceback: null, result: stored.value };
  } catch (error) {
    const failure = describeFailure(error);
    return { status: "FAILURE", message: failed(failure, error), traceback: failure.traceback, result: null };
  }
}

/** Proves the run is alive and picks up a cancel request whose event this worker missed. */
async function heartbeat(host: RunHost, logId: number, controller: AbortController): Promise<void> {
  try {
    const alive = await heartbeatRun(host.runtime.prisma, logId, host.workerId);
    if (alive?.cancelRequestedAt && !controller.signal.aborted) {
      controller.abort(new RunCancelledError(runMessage("RUN_CANCELLED")));
    }
  } catch (err) {
    logger().warn({ err, log_id: logId }, "heartbeat failed");
  }
}

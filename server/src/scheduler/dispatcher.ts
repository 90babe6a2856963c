/*
 * The dispatcher: fires every (job, slot) exactly once, on time, in the job's zone.
 *
 * Design
 * - Plan ahead, decide at the instant, one queue hop. The planner (one process at a time:
 *   PlannerLease) re-reads enabled job definitions every few seconds and at once on `job.changed`,
 *   and fires each slot of the coming LOOKAHEAD window ahead of time (fire-planned-slots.ts): the
 *   runs due at one instant are written in groups of up to RUNS_PER_QUEUE_JOB, each group in one
 *   transaction (FireRecords, QUEUED logs with scheduledAt = the slot) and one
 *   `connecthub.execute_runs` queue job due RUNS_LEAD_MS before the slot. Agenda's processor locks
 *   due-soon jobs a poll ahead and starts them on a timer; the worker judges the group's jobs in
 *   the lead and at the instant starts the runs of all its groups in one statement, so a minute
 *   boundary with many due jobs costs the queue a few dozen jobs, not one per run.
 * - At the instant, the worker's claim (execution/claim.ts with start-check.ts) decides the run
 *   from the job as it is then: disable, delete, trigger/zone edits made after planning withdraw
 *   the run (CANCELLED, saying why); the overlap rule is applied under a per-job advisory lock (a
 *   skipped slot's fire record becomes SKIPPED_OVERLAP and its queued run is removed); the
 *   configuration is snapshotted then, not at planning. The worker reads and judges the job during
 *   the queue job's lead and, at the instant, starts the run in one statement only if the job's
 *   updatedAt is unchanged (else it decides again from a fresh read). The FireRecord primary key (job_id, scheduled_at) is what makes a slot fire
 *   at most once, whatever planned it twice (a lease hand-over, a restart mid-minute, two planners).
 * - Edits: the planner withdraws runs an edit made unwanted (withdraw-runs.ts): a slot still ahead
 *   is un-planned (its run and fire record removed, so it reads as never planned and may be planned
 *   again), a slot already due is CANCELLED with why. The claim-time check covers the seconds before
 *   the planner sees the edit.
 * - Takeover and the gate: the worker that locks a group's queue job holds it only until its runs
 *   start, with a short lock (6 s) it touches while held; if it dies, another worker locks the job
 *   again within seconds and starts the runs late rather than never. Whoever delivers, the run's
 *   claim (QUEUED → RUNNING, one conditional update) starts it once. Only a RUNNING run counts for
 *   the overlap rule, so runs a dead worker held (still QUEUED) never skip the next slot.
 * - At least once: the misfire sweep (every few seconds on the planner, and in the minute tick on
 *   any process) looks for past slots older than MISFIRE_SETTLE_MS with no fire record, counted from
 *   the job's latest past fire record (never lastRunAt, so a skewed lastRunAt blocks nothing), and
 *   fires the latest as one CATCHUP run when within misfireGraceSeconds; the others are recorded
 *   SKIPPED_MISFIRE. A run whose queue job was lost is the worker's recovery sweep's.
 * - `connecthub.dispatcher.tick` (Agenda, every minute, one process at a time) is the cluster's
 *   safety net: misfire sweep, abandoned-run sweep, and a plan pass when this process plans.
 * - Cost: a pass reads the definitions in one query and computes slots in memory, then per group of
 *   up to RUNS_PER_QUEUE_JOB slots one short transaction (four statements) and a queue insert; the
 *   sweep adds one batched query for the latest fire record of every job. Linear in jobs and due slots.
 */
import type { Job as AgendaJob } from "agenda";
import { outageLogger } from "../db/connection-errors.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { applyRetention, retentionPolicy } from "../retention/index.ts";
import { sweepAbandonedRuns, withdrawUnwantedRuns } from "../runs/index.ts";
import { firePlannedSlots } from "./fire-planned-slots.ts";
import { fireSlot } from "./fire-slot.ts";
import { type JobDefinition, loadEnabledDefinitions } from "../triggers/job-definitions.ts";
import { sweepMisfires } from "./misfire-sweep.ts";
import { PlanWindow } from "./plan-window.ts";
import { PlannerLease } from "./planner-lease.ts";
import { DISPATCHER_TICK, FIRE_SLOT, type FireSlotData } from "./queue-jobs.ts";

export interface DispatcherTimings {
  /** How far ahead slots are put on the queue. */
  lookaheadMs: number;
  /** Planner loop period. */
  passEveryMs: number;
  /** Definitions are re-read at least this often (and at once on job.changed). */
  refreshEveryMs: number;
  /** Misfire and abandoned-run sweeps on the planner. */
  sweepEveryMs: number;
}

export const DEFAULT_TIMINGS: DispatcherTimings = { lookaheadMs: 20_000, passEveryMs: 2_000, refreshEveryMs: 5_000, sweepEveryMs: 10_000 };

export interface PassStats {
  jobs: number;
  planned: number;
  withdrawn: number;
  /** Planned slots already fired (by an earlier planner), or whose job went away meanwhile. */
  skipped: number;
  ms: number;
}

export class Dispatcher {
  readonly #lease: PlannerLease;
  readonly #window: PlanWindow;
  readonly #timings: DispatcherTimings;
  #definitions: JobDefinition[] = [];
  #loadedAt = 0;
  #dirty = true;
  #lastSweep = 0;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #stopped = true;
  #unsubscribe: (() => void) | null = null;
  readonly #logFailure = outageLogger();

  private readonly runtime: Runtime;
  constructor(
    runtime: Runtime,
    timings: Partial<DispatcherTimings> = {},
  ) {
    this.runtime = runtime;
    this.#timings = { ...DEFAULT_TIMINGS, ...timings };
    this.#lease = new PlannerLease(runtime.databaseUrl);
    this.#window = new PlanWindow(runtime.config.TIMEZONE);
  }

  get isPlanner(): boolean {
    return this.#lease.held;
  }

  /** `loop: false` registers the queue jobs' handlers only: no planner loop, no minute tick (tests drive pass() and tick() with their own clock). */
  async start({ loop = true }: { loop?: boolean } = {}): Promise<void> {
    const { agenda } = this.runtime.queue;
    // Slots are no longer fired through this job; fire jobs an older version queued still decide theirs.
    // Four at a time: the worker part keeps that much queue headroom above WORKER_CONCURRENCY for the scheduler.
    agenda.define<FireSlotData>(FIRE_SLOT, (job) => this.#onFireJob(job), { concurrency: 4, removeOnComplete: true });
    agenda.define(DISPATCHER_TICK, () => this.tick().then(() => undefined), { concurrency: 1, lockLifetime: 5 * 60_000 });
    if (!loop) return;
    await agenda.every("1 minute", DISPATCHER_TICK, undefined, { skipImmediate: false });
    const offChanged = this.runtime.events.subscribe("job.changed", () => this.#onJobChanged());
    // job.changed events sent while the transport was away are lost: re-read the definitions.
    const offResync = this.runtime.events.onResync(() => this.#onJobChanged());
    this.#unsubscribe = () => (offChanged(), offResync());
    this.#stopped = false;
    // A random phase keeps several dispatchers from polling the lease in lock step.
    this.#schedule(Math.floor(Math.random() * 500));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.#running.catch(() => undefined);
    await this.#lease.release();
  }

  /** One planner pass: take or keep the lease, refresh definitions when due, plan, withdraw, sweep. */
  async pass(now = new Date()): Promise<PassStats | null> {
    if (!(await this.#lease.acquire())) {
      this.#window.reset();
      return null;
    }
    const started = performance.now();
    if (this.#dirty || now.getTime() - this.#loadedAt >= this.#timings.refreshEveryMs) {
      this.#dirty = false;
      this.#definitions = await loadEnabledDefinitions(this.runtime.prisma);
      this.#loadedAt = now.getTime();
    }
    const plan = this.#window.plan(this.#definitions, now, new Date(now.getTime() + this.#timings.lookaheadMs));
    for (const bad of plan.invalid) logger().error({ job_id: bad.jobId }, `job cannot be scheduled: ${bad.message}`);
    let withdrawn = 0;
    for (const jobId of plan.changed) withdrawn += await withdrawUnwantedRuns(this.runtime, jobId);
    const { fired, skipped } = await firePlannedSlots(this.runtime, plan.slots);
    if (now.getTime() - this.#lastSweep >= this.#timings.sweepEveryMs) {
      this.#lastSweep = now.getTime();
      await this.#sweep(now);
    }
    return { jobs: this.#definitions.length, planned: fired, withdrawn, skipped, ms: performance.now() - started };
  }

  /** The minute tick: sweeps (on whichever process Agenda gives it) and a pass if this process plans. */
  async tick(now = new Date()): Promise<void> {
    await this.#sweep(now);
    if (this.#lease.held) await this.#serialized(() => this.pass(now));
    await applyRetention(this.runtime.prisma, retentionPolicy(this.runtime.config), now).catch((err) => logger().warn({ err }, "retention purge failed; the next tick retries"));
  }

  async #sweep(now: Date): Promise<void> {
    const misfires = await sweepMisfires(this.runtime, now);
    const abandoned = await sweepAbandonedRuns(this.runtime);
    if (misfires.caughtUp || misfires.skipped || abandoned) logger().info({ ...misfires, abandoned }, "dispatcher sweep");
  }

  async #onFireJob(job: AgendaJob<FireSlotData>): Promise<void> {
    const { jobId, at } = job.attrs.data;
    const result = await fireSlot(this.runtime, jobId, new Date(at), "FIRED");
    if (result.kind === "withdrawn") logger().info({ job_id: jobId, scheduled_at: at, reason: result.reason }, "planned slot dropped");
  }

  #onJobChanged(): void {
    this.#dirty = true;
    if (this.#lease.held && !this.#stopped) this.#schedule(50);
  }

  #serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#running.catch(() => undefined).then(fn);
    this.#running = next;
    return next;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#serialized(() => this.pass())
        .catch((err) => this.#logFailure(logger(), err, "dispatcher pass failed; retrying at the next one"))
        .finally(() => this.#schedule(this.#timings.passEveryMs));
    }, delayMs);
  }
}

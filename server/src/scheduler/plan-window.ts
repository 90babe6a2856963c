import { type JobDefinition, scheduleFingerprint, scheduleOf } from "../triggers/job-definitions.ts";
import { slotsInWindow, TriggerValidationError } from "../triggers/index.ts";

/** A slot to hand to the queue, due at `at`. */
export interface PlannedSlot {
  jobId: string;
  at: Date;
}

export interface PlanResult {
  slots: PlannedSlot[];
  /** Jobs whose slots changed since the last pass (edited, disabled, deleted): their queued runs need a look. */
  changed: string[];
  /** Jobs that cannot fire, with why (logged once per definition). */
  invalid: { jobId: string; message: string }[];
}

/** At most this many slots of one job per pass; the rest follow in later passes (an every-second job). */
export const MAX_SLOTS_PER_JOB_PER_PASS = 120;

interface JobPlanState {
  fingerprint: string;
  /** Slots up to here are planned. */
  plannedThrough: number;
}

/**
 * The planner's memory: for each enabled job, the definition it planned for and how far. Process
 * memory only: a planner that starts (or takes over) plans from "now", and the misfire sweep
 * accounts for anything before. Each pass costs O(jobs + new slots).
 */
export class PlanWindow {
  readonly #jobs = new Map<string, JobPlanState>();

  private readonly serverZone: string;
  constructor(serverZone: string) {
    this.serverZone = serverZone;
  }

  /** Plans the slots in (plannedThrough, until] of each job; a job first seen, or edited, starts at `now`. */
  plan(jobs: readonly JobDefinition[], now: Date, until: Date): PlanResult {
    const result: PlanResult = { slots: [], changed: [], invalid: [] };
    const seen = new Set<string>();
    for (const job of jobs) {
      seen.add(job.id);
      const fingerprint = scheduleFingerprint(job, this.serverZone);
      let state = this.#jobs.get(job.id);
      if (!state || state.fingerprint !== fingerprint) {
        if (state) result.changed.push(job.id);
        state = { fingerprint, plannedThrough: now.getTime() };
        this.#jobs.set(job.id, state);
        const schedule = scheduleOf(job, this.serverZone);
        if (schedule instanceof TriggerValidationError) result.invalid.push({ jobId: job.id, message: schedule.message });
      }
      // Never plan the past: a pass that comes late (a stalled process) leaves slots already due to
      // the misfire sweep, which catches up at most one of them instead of firing them all.
      state.plannedThrough = Math.max(state.plannedThrough, now.getTime());
      if (state.plannedThrough >= until.getTime()) continue;
      const schedule = scheduleOf(job, this.serverZone);
      if (schedule instanceof TriggerValidationError) continue;
      const window = slotsInWindow(schedule.trigger, schedule.zone, new Date(state.plannedThrough), until, MAX_SLOTS_PER_JOB_PER_PASS);
      for (const at of window.slots) result.slots.push({ jobId: job.id, at });
      const last = window.slots[window.slots.length - 1];
      state.plannedThrough = window.truncated && last ? last.getTime() : until.getTime();
    }
    for (const id of this.#jobs.keys()) {
      if (!seen.has(id)) {
        this.#jobs.delete(id);
        result.changed.push(id);
      }
    }
    return result;
  }

  /** Forget everything (the lease was lost: another planner owns the future now). */
  reset(): void {
    this.#jobs.clear();
  }
}

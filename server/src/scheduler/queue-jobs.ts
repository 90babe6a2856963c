/** The Agenda jobs the scheduler owns (the execute job is the execution engine's). */

/** Repeating, one at a time across the cluster: misfire sweep, abandoned-run sweep, and a plan pass. */
export const DISPATCHER_TICK = "connecthub.dispatcher.tick";

/** One per planned (job, slot), due AT the slot: decides the slot and hands the run over. */
export const FIRE_SLOT = "connecthub.scheduler.fire";

export interface FireSlotData {
  jobId: string;
  /** ISO instant of the slot. */
  at: string;
}

/** The Agenda jobs the scheduler owns (the execute job is the execution engine's). */

/** Repeating, one at a time across the cluster: misfire sweep, abandoned-run sweep, and a plan pass. */
export const DISPATCHER_TICK = "connecthub.dispatcher.tick";

/**
 * Formerly one per planned (job, slot), due AT the slot, deciding it and queueing the run (a second
 * queue hop). The planner now fires slots ahead straight into execute jobs due at the slot; this
 * job is still processed so fire jobs queued by an older version decide their slots.
 */
export const FIRE_SLOT = "connecthub.scheduler.fire";

export interface FireSlotData {
  jobId: string;
  /** ISO instant of the slot. */
  at: string;
}

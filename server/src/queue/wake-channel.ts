import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { type JobNotification, type NotificationChannel, type NotificationChannelState, type NotificationHandler, toJobId } from "agenda";
import type { EventBus } from "../events/event-bus.ts";
import type { EventMap } from "../events/event-map.ts";
import { logger } from "../logging/logger.ts";

/** The event-bus topic that carries queue wake-ups between processes. */
export const QUEUE_WAKE_TOPIC = "queue.jobReady";

/**
 * The wake-up for a queue job that a statement of ours saved (statement-job.ts), not Agenda: its
 * source is no channel's, so every process's processor hears it, this process's own included.
 */
export function statementWake(jobId: string, jobName: string, nextRunAt: Date | null): EventMap[typeof QUEUE_WAKE_TOPIC] {
  return { jobId, jobName, nextRunAt: nextRunAt ? nextRunAt.toISOString() : null, source: "statement" };
}

/**
 * Agenda's notification channel over ConnectHub's event bus (PostgreSQL LISTEN/NOTIFY), for both
 * queue backends: a job saved in any process (the API's Run Now and retries included) wakes the
 * idle workers of every process at once instead of at their next poll.
 *
 * Why not Agenda's own channels: they only connect in `agenda.start()`, and the `api` role never
 * starts its Agenda, so its saves published nothing (a Run Now waited for a worker's poll); the
 * PostgreSQL one also NOTIFYs every job's start/success/complete on a connection of its own; the
 * MongoDB one needs change streams, which FerretDB has not. This one is connected from creation
 * (the bus publishes with or without a listener), delivers to this process's processor directly
 * and drops its own echo, and carries job saves only.
 */
export class WakeChannel extends EventEmitter implements NotificationChannel {
  readonly #handlers = new Set<NotificationHandler>();
  readonly #bus: EventBus;
  readonly #source: string;
  #state: NotificationChannelState = "connected";
  #unsubscribe: (() => void) | null = null;

  constructor(bus: EventBus) {
    super();
    this.#bus = bus;
    // Notifications this channel sent come back over the bus and are dropped; an id of its own, as
    // tests (and benchmarks) run several runtimes in one process.
    this.#source = randomUUID();
  }

  get state(): NotificationChannelState {
    return this.#state;
  }

  /**
   * Agenda connects in start() and disconnects in stop(). The bus is the runtime's and publishes
   * whether or not anyone listens, so neither changes anything: a process whose processor stopped
   * (an `all` process shutting down) still wakes the others when its API part saves a job.
   */
  async connect(): Promise<void> {}

  async disconnect(): Promise<void> {}

  /** The first subscriber (Agenda's processor, in start()) makes this process listen: the `api` role only publishes. */
  subscribe(handler: NotificationHandler): () => void {
    this.#handlers.add(handler);
    this.#unsubscribe ??= this.#bus.subscribe(QUEUE_WAKE_TOPIC, (p) => this.#deliver(p));
    return () => {
      this.#handlers.delete(handler);
      if (this.#handlers.size === 0) {
        this.#unsubscribe?.();
        this.#unsubscribe = null;
      }
    };
  }

  async publish(notification: JobNotification): Promise<void> {
    this.wakeHere(notification);
    await this.#bus.publish(QUEUE_WAKE_TOPIC, {
      jobId: String(notification.jobId),
      jobName: notification.jobName,
      nextRunAt: notification.nextRunAt ? notification.nextRunAt.toISOString() : null,
      source: this.#source,
    });
  }

  /**
   * Wakes this process's processor only (a refill after a completion concerns no other process).
   * One fill per job name at a time: Agenda starts a fill for every wake-up, and fills that overlap
   * each lock a job, then find the lock limit reached and unlock it again (two writes for nothing,
   * about one run in three in a drain). Wake-ups that arrive during a fill are coalesced into one
   * more fill after it (the earliest due of them), so none is lost.
   */
  wakeHere(notification: Pick<JobNotification, "jobName" | "nextRunAt"> & Partial<JobNotification>): void {
    const diverted = this.#diverted.get(notification.jobName);
    if (diverted) return diverted();
    const full: JobNotification = { jobId: notification.jobId ?? toJobId(""), priority: 0, timestamp: new Date(), source: this.#source, ...notification };
    const filling = this.#filling.get(full.jobName);
    if (filling) {
      filling.next = earlier(filling.next, full);
      return;
    }
    const state: { next: JobNotification | null } = { next: null };
    this.#filling.set(full.jobName, state);
    const fill = (n: JobNotification): Promise<void> =>
      Promise.all(
        [...this.#handlers].map((handler) =>
          Promise.resolve()
            .then(() => handler(n))
            .catch((err) => logger().error({ err, job: n.jobName }, "queue wake-up handler failed")),
        ),
      ).then(() => {
        const next = state.next;
        state.next = null;
        if (next) return fill(next);
        this.#filling.delete(n.jobName);
      });
    void fill(full);
  }

  readonly #filling = new Map<string, { next: JobNotification | null }>();
  readonly #diverted = new Map<string, () => void>();

  /**
   * This process's wake-ups for `jobName` go to `handler` instead of Agenda's processor (which
   * still polls for that name): for a worker that takes those queue jobs in bulk itself. Returns
   * the function that gives them back to the processor.
   */
  divert(jobName: string, handler: () => void): () => void {
    this.#diverted.set(jobName, handler);
    return () => {
      if (this.#diverted.get(jobName) === handler) this.#diverted.delete(jobName);
    };
  }

  /** Stops listening (the runtime closes the bus itself). */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#handlers.clear();
    this.#state = "disconnected";
  }

  #deliver(payload: { jobId: string; jobName: string; nextRunAt: string | null; source: string }): void {
    if (payload.source === this.#source) return;
    this.wakeHere({ jobId: toJobId(payload.jobId), jobName: payload.jobName, nextRunAt: payload.nextRunAt ? new Date(payload.nextRunAt) : null, source: payload.source });
  }
}

/** Of two wake-ups, the one due first (null nextRunAt: due now). */
function earlier(a: JobNotification | null, b: JobNotification): JobNotification {
  if (!a) return b;
  const at = (n: JobNotification) => (n.nextRunAt ? n.nextRunAt.getTime() : Number.NEGATIVE_INFINITY);
  return at(b) < at(a) ? b : a;
}

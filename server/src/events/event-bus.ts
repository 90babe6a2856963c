import type { EventMap, Topic } from "./event-map.ts";

export type Listener<K extends Topic> = (payload: EventMap[K]) => void;

/** Publishes events to every subscriber in every ConnectHub process sharing the transport. */
export interface EventBus {
  readonly transport: "memory" | "postgres";
  publish<K extends Topic>(topic: K, payload: EventMap[K]): Promise<void>;
  /** Returns an unsubscribe function. Listeners see events in publish order per publisher. */
  subscribe<K extends Topic>(topic: K, listener: Listener<K>): () => void;
  /**
   * Called after the transport was away and is back (a reconnect): events published meanwhile may
   * never arrive, so subscribers re-read what they follow from the database (what changed since
   * `lostAt`, when the connection was lost). Returns an unsubscribe.
   */
  onResync(listener: (lostAt: Date) => void): () => void;
  /**
   * The event as `pg_notify(channel, message)` arguments, for a statement on the bus's own database
   * to send with its writes: PostgreSQL delivers it at the commit, so no listener hears of a row
   * before it exists, nor of anything committed later before it. `payloadPath` locates the payload
   * in `message` (JSON) for fields only the statement knows (a new row's id). Null when the
   * transport is not PostgreSQL (then publish after the commit).
   */
  inStatement<K extends Topic>(topic: K, payload: EventMap[K]): StatementNotification | null;
  /** Whether events reach this process right now (its LISTEN connection is up); for /ready. */
  health(): { ok: boolean; error?: string };
  close(): Promise<void>;
}

export interface StatementNotification {
  channel: string;
  message: string;
  payloadPath: string[];
}

export class EventPayloadTooLargeError extends Error {
  override readonly name = "EventPayloadTooLargeError";
  readonly code = "EVENT_TOO_LARGE";
  constructor(topic: string, bytes: number, max: number) {
    super(`Event on ${topic} is ${bytes} bytes; the transport carries at most ${max}. Split it before publishing.`);
  }
}

/** Shared fan-out used by both transports. */
export class ListenerSet {
  private listeners = new Map<Topic, Set<(payload: unknown) => void>>();

  add<K extends Topic>(topic: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    const fn = listener as (payload: unknown) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  emit(topic: Topic, payload: unknown, onError: (error: unknown) => void): void {
    for (const fn of this.listeners.get(topic) ?? []) {
      try {
        fn(payload);
      } catch (error) {
        onError(error);
      }
    }
  }
}

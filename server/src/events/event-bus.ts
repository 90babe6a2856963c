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
  /** Whether events reach this process right now (its LISTEN connection is up); for /ready. */
  health(): { ok: boolean; error?: string };
  close(): Promise<void>;
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

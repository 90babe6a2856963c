import { logger } from "../logging/logger.ts";
import { ListenerSet, type EventBus } from "./event-bus.ts";

/** Events that never leave the process (tests and tools; both storage modes use PostgreSQL's). */
export function createMemoryEventBus(): EventBus {
  const listeners = new ListenerSet();
  return {
    transport: "memory",
    async publish(topic, payload) {
      // Structured clone keeps subscribers from sharing (and mutating) the publisher's object,
      // exactly as a real transport would.
      listeners.emit(topic, structuredClone(payload), (err) => logger().error({ err, topic }, "event listener failed"));
    },
    inStatement: () => null,
    subscribe: (topic, listener) => listeners.add(topic, listener),
    // In one process nothing can be lost in transit.
    onResync: () => () => undefined,
    health: () => ({ ok: true }),
    async close() {},
  };
}

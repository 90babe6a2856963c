import pg from "pg";
import { CoalescedWrites } from "../db/coalesced-writes.ts";
import { countEventBusReconnect } from "../observability/record.ts";
import { logger } from "../logging/logger.ts";
import { EventPayloadTooLargeError, ListenerSet, type EventBus } from "./event-bus.ts";
import { TOPICS, type Topic } from "./event-map.ts";

/** One channel per topic, so a process listens only to what it uses (a worker hears no run output). */
const channelOf = (topic: Topic) => `connecthub_${topic.replace(".", "_").toLowerCase()}`;
const MAX_NOTIFY_BYTES = 7900;
const RECONNECT_DELAY_MS = 1000;
/** Notifications per statement, at most (a statement's payloads are held in memory together). */
const MAX_BATCH = 200;

/**
 * Events over PostgreSQL LISTEN/NOTIFY, the transport every server deployment already has.
 * Per process: one connection listens, one publishes. Publishes go out in order on the publishing
 * connection, so one publisher's events arrive in the order they were published; those made while
 * a NOTIFY is in flight go out together in the next statement (a burst of run starts costs a few
 * round trips, not one each). PostgreSQL delivers a session's notifications in the order it sent
 * them, whatever their channels.
 *
 * `listenTo`: the topics this process subscribes to (default all); events of other topics are
 * still published from here but never delivered here.
 */
export async function createPostgresEventBus(databaseUrl: string, { listenTo = TOPICS }: { listenTo?: readonly Topic[] } = {}): Promise<EventBus> {
  const listeners = new ListenerSet();
  const publisher = new pg.Client({ connectionString: databaseUrl });
  publisher.on("error", (err) => logger().error({ err }, "event publisher connection failed"));
  await publisher.connect();
  let listener: pg.Client | null = null;
  let closed = false;
  // unnest keeps the arrays' order, so notifications are sent as published. (PostgreSQL folds
  // identical payloads within one statement into one: an exact repeat carries nothing new.)
  const outbox = new CoalescedWrites<{ channel: string; message: string }, void>(
    async (batch) => {
      await publisher.query("SELECT count(pg_notify(c, m)) FROM unnest($1::text[], $2::text[]) AS n(c, m)", [
        batch.map((b) => b.channel),
        batch.map((b) => b.message),
      ]);
      return batch.map(() => undefined);
    },
    (pending) => Math.min(pending.length, MAX_BATCH),
  );

  async function connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl });
    const channels = new Set(listenTo.map(channelOf));
    client.on("notification", (msg) => {
      if (!channels.has(msg.channel) || !msg.payload) return;
      try {
        const { t, p } = JSON.parse(msg.payload) as { t: Topic; p: unknown };
        listeners.emit(t, p, (err) => logger().error({ err, topic: t }, "event listener failed"));
      } catch (err) {
        logger().warn({ err }, "ignoring malformed event notification");
      }
    });
    client.on("error", (err) => {
      logger().warn({ err }, "event listener connection lost; reconnecting");
      listener = null;
      client.end().catch(() => undefined);
      if (!closed) setTimeout(() => void connectListener().then(countEventBusReconnect, () => undefined), RECONNECT_DELAY_MS);
    });
    await client.connect();
    for (const channel of channels) await client.query(`LISTEN ${channel}`);
    listener = client;
  }
  await connectListener();

  return {
    transport: "postgres",
    async publish(topic, payload) {
      const message = JSON.stringify({ t: topic, p: payload });
      const bytes = Buffer.byteLength(message);
      if (bytes > MAX_NOTIFY_BYTES) throw new EventPayloadTooLargeError(topic, bytes, MAX_NOTIFY_BYTES);
      await outbox.push({ channel: channelOf(topic), message });
    },
    subscribe(topic, fn) {
      if (!listenTo.includes(topic)) throw new Error(`this process does not listen to ${topic}: add it to the event bus's listenTo`);
      return listeners.add(topic, fn);
    },
    async close() {
      closed = true;
      // Events published without waiting (a run's last status) still go out.
      await outbox.drained();
      await listener?.end().catch(() => undefined);
      await publisher.end().catch(() => undefined);
    },
  };
}

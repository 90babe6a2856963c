import pg from "pg";
import { backoffDelay, sleep } from "../db/backoff.ts";
import { CoalescedWrites } from "../db/coalesced-writes.ts";
import { describeConnectionError, isConnectionError } from "../db/connection-errors.ts";
import { countEventBusReconnect } from "../observability/record.ts";
import { logger } from "../logging/logger.ts";
import { EventPayloadTooLargeError, ListenerSet, type EventBus } from "./event-bus.ts";
import { TOPICS, type EventMap, type Topic } from "./event-map.ts";

/** One channel per topic, so a process listens only to what it uses (a worker hears no run output). */
const channelOf = (topic: Topic) => `connecthub_${topic.replace(".", "_").toLowerCase()}`;
const MAX_NOTIFY_BYTES = 7900;
/** Notifications per statement, at most (a statement's payloads are held in memory together). */
const MAX_BATCH = 200;
/** Room left in an in-statement notification for the fields its statement fills in (ids). */
const STATEMENT_MARGIN_BYTES = 100;
/** On close, events still unsent are given this long for the database to come back. */
const CLOSE_WAIT_MS = 5_000;

/**
 * Events over PostgreSQL LISTEN/NOTIFY, the transport every server deployment already has.
 * Per process: one connection listens, one publishes. Publishes go out in order on the publishing
 * connection, so one publisher's events arrive in the order they were published; those made while
 * a NOTIFY is in flight go out together in the next statement (a burst of run starts costs a few
 * round trips, not one each). PostgreSQL delivers a session's notifications in the order it sent
 * them, whatever their channels.
 *
 * Both connections survive the database going away: the publisher reconnects and sends what was
 * published meanwhile (in order); the listener reconnects with backoff, LISTENs again and then
 * tells `onResync` subscribers, since what was sent while it was away is gone.
 *
 * `listenTo`: the topics this process subscribes to (default all); events of other topics are
 * still published from here but never delivered here.
 */
export async function createPostgresEventBus(databaseUrl: string, { listenTo = TOPICS }: { listenTo?: readonly Topic[] } = {}): Promise<EventBus> {
  const listeners = new ListenerSet();
  const resyncs = new Set<(lostAt: Date) => void>();
  let closed = false;
  let closeDeadline = Infinity;

  const publisher = new Connection(databaseUrl, "event publisher");
  // unnest keeps the arrays' order, so notifications are sent as published. (PostgreSQL folds
  // identical payloads within one statement into one: an exact repeat carries nothing new.)
  const outbox = new CoalescedWrites<{ channel: string; message: string }, void>(
    async (batch) => {
      for (let attempt = 0; ; attempt++) {
        try {
          const client = await publisher.client();
          await client.query("SELECT count(pg_notify(c, m)) FROM unnest($1::text[], $2::text[]) AS n(c, m)", [
            batch.map((b) => b.channel),
            batch.map((b) => b.message),
          ]);
          return batch.map(() => undefined);
        } catch (error) {
          if (!isConnectionError(error)) throw error;
          publisher.drop(error);
          // Keep the batch (and everything behind it) until the database is back; give up only when closing.
          if (Date.now() >= closeDeadline) throw error;
          await sleep(backoffDelay(attempt));
        }
      }
    },
    (pending) => Math.min(pending.length, MAX_BATCH),
  );

  const channels = new Set(listenTo.map(channelOf));
  let listener: pg.Client | null = null;
  let listenerError: string | undefined;
  /** When the listener lost its connection (events since then may be gone). */
  let lostAt = new Date();
  let everConnected = false;

  async function connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on("notification", (msg) => {
      if (!channels.has(msg.channel) || !msg.payload) return;
      try {
        const { t, p } = JSON.parse(msg.payload) as { t: Topic; p: unknown };
        listeners.emit(t, p, (err) => logger().error({ err, topic: t }, "event listener failed"));
      } catch (err) {
        logger().warn({ err }, "ignoring malformed event notification");
      }
    });
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (listener === client) listener = null;
      client.end().catch(() => undefined);
      if (closed) return;
      lostAt = new Date();
      listenerError = err ? describeConnectionError(err) : "connection ended";
      logger().warn({ error: listenerError }, "event listener connection lost; reconnecting");
      void reconnectListener();
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    try {
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      lost = true;
      client.end().catch(() => undefined);
      throw error;
    }
    listener = client;
    listenerError = undefined;
  }

  let reconnecting = false;
  async function reconnectListener(): Promise<void> {
    if (reconnecting) return;
    reconnecting = true;
    try {
      for (let attempt = 0; !closed; attempt++) {
        await sleep(backoffDelay(attempt));
        if (closed) return;
        try {
          await connectListener();
          break;
        } catch (error) {
          listenerError = describeConnectionError(error);
        }
      }
    } finally {
      reconnecting = false;
    }
    if (closed || !listener) return;
    countEventBusReconnect();
    logger().info("event listener reconnected; subscribers re-read what they follow");
    for (const fn of resyncs) {
      try {
        fn(lostAt);
      } catch (err) {
        logger().error({ err }, "event resync listener failed");
      }
    }
  }

  await connectListener();
  everConnected = true;
  await publisher.client();

  return {
    transport: "postgres",
    async publish(topic, payload) {
      await outbox.push(notification(topic, payload));
    },
    inStatement(topic, payload) {
      // A field the statement fills in may grow the message: keep a margin for it.
      return { ...notification(topic, payload, STATEMENT_MARGIN_BYTES), payloadPath: ["p"] };
    },
    subscribe(topic, fn) {
      if (!listenTo.includes(topic)) throw new Error(`this process does not listen to ${topic}: add it to the event bus's listenTo`);
      return listeners.add(topic, fn);
    },
    onResync(fn) {
      resyncs.add(fn);
      return () => resyncs.delete(fn);
    },
    health() {
      if (listener && everConnected) return { ok: true };
      return { ok: false, error: `event listener reconnecting${listenerError ? `: ${listenerError}` : ""}` };
    },
    async close() {
      closed = true;
      closeDeadline = Date.now() + CLOSE_WAIT_MS;
      // Events published without waiting (a run's last status) still go out.
      await outbox.drained().catch(() => undefined);
      await listener?.end().catch(() => undefined);
      await publisher.close();
    },
  };
}

/** The NOTIFY of an event: its topic's channel, and the payload in an envelope naming the topic. */
function notification<K extends Topic>(topic: K, payload: EventMap[K], margin = 0): { channel: string; message: string } {
  const message = JSON.stringify({ t: topic, p: payload });
  const bytes = Buffer.byteLength(message) + margin;
  if (bytes > MAX_NOTIFY_BYTES) throw new EventPayloadTooLargeError(topic, bytes, MAX_NOTIFY_BYTES);
  return { channel: channelOf(topic), message };
}

/** A lazily (re)opened connection: `client()` connects when there is none, `drop()` forgets a broken one. */
class Connection {
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  #lastWarned = 0;

  private readonly url: string;
  private readonly name: string;

  constructor(url: string, name: string) {
    this.url = url;
    this.name = name;
  }

  client(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on("error", (err) => this.#forget(client, err));
      client.on("end", () => this.#forget(client));
      try {
        await client.connect();
      } catch (error) {
        client.end().catch(() => undefined);
        throw error;
      }
      this.#client = client;
      return client;
    })().finally(() => (this.#connecting = null));
    return this.#connecting;
  }

  drop(error: unknown): void {
    if (this.#client) this.#forget(this.#client, error);
  }

  #forget(client: pg.Client, err?: unknown): void {
    if (this.#client !== client) return;
    this.#client = null;
    client.end().catch(() => undefined);
    if (Date.now() - this.#lastWarned > 10_000) {
      this.#lastWarned = Date.now();
      logger().warn({ error: err ? describeConnectionError(err) : "connection ended" }, `${this.name} connection lost; reconnecting on next use`);
    }
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }
}

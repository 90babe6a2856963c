import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventBus } from "../../src/events/event-bus.ts";
import type { EventMap } from "../../src/events/event-map.ts";
import { createPostgresEventBus } from "../../src/events/postgres-event-bus.ts";
import { startPgCluster, type PgCluster } from "../harness/pg-cluster.ts";
import { eventually } from "../harness/processes.ts";

// Its own cluster: terminating sessions on the shared test database would hit other tests.
let cluster: PgCluster;
let url: string;
const buses: EventBus[] = [];
beforeAll(async () => {
  cluster = await startPgCluster();
  url = await cluster.createDatabase("events");
});
afterAll(async () => {
  for (const bus of buses) await bus.close();
  await cluster?.destroy();
});

describe("postgres event bus when its connections are cut", () => {
  it("reconnects, tells subscribers to resync, and delivers what is published afterwards", async () => {
    const publisher = await createPostgresEventBus(url);
    const subscriber = await createPostgresEventBus(url);
    buses.push(publisher, subscriber);
    const seen: EventMap["job.changed"][] = [];
    const resyncs: Date[] = [];
    subscriber.subscribe("job.changed", (p) => seen.push(p));
    subscriber.onResync((lostAt) => resyncs.push(lostAt));
    expect(subscriber.health()).toEqual({ ok: true });

    await cluster.terminateConnections("events");
    await eventually("the subscriber to notice", async () => !subscriber.health().ok || resyncs.length > 0, 10_000, 20);
    await eventually("a resync after the reconnect", async () => resyncs.length === 1 && subscriber.health().ok, 30_000);

    // The publisher's connection was cut too: it reconnects on its next publish.
    await publisher.publish("job.changed", { jobId: "a.after", change: "updated" });
    await eventually("the event published after the blip", async () => seen.some((p) => p.jobId === "a.after"), 10_000);
  });

  it("keeps what is published while the database is stopped and sends it, in order, once it is back", async () => {
    const publisher = await createPostgresEventBus(url);
    const subscriber = await createPostgresEventBus(url);
    buses.push(publisher, subscriber);
    const seen: string[] = [];
    let resynced = 0;
    subscriber.subscribe("job.changed", (p) => seen.push(p.jobId));
    subscriber.onResync(() => resynced++);

    await cluster.stop();
    await eventually("the subscriber to report the transport away", async () => !subscriber.health().ok, 10_000, 50);
    const published = ["a.one", "a.two", "a.three"].map((jobId) => publisher.publish("job.changed", { jobId, change: "updated" }));
    await new Promise((r) => setTimeout(r, 2000));
    await cluster.start();
    await Promise.all(published);
    await eventually("the subscriber back", async () => resynced === 1 && subscriber.health().ok, 30_000);
    // Sent after the publisher reconnected; the subscriber may have been listening again by then or
    // not (then its resync covers it): if it hears them, it hears them in order.
    await publisher.publish("job.changed", { jobId: "a.four", change: "updated" });
    await eventually("the last event", async () => seen.includes("a.four"), 10_000);
    expect(seen.filter((j) => j !== "a.four")).toEqual(["a.one", "a.two", "a.three"].slice(0, seen.length - 1));
  });
});

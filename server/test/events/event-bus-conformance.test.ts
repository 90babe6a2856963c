import { afterAll, describe, expect, inject, it } from "vitest";
import type { EventBus } from "../../src/events/event-bus.ts";
import type { EventMap } from "../../src/events/event-map.ts";
import { createMemoryEventBus } from "../../src/events/memory-event-bus.ts";
import { createPostgresEventBus } from "../../src/events/postgres-event-bus.ts";

// One suite, every transport: what subscribers may rely on, whichever carries the events.
const transports: Array<[string, () => Promise<{ publisher: EventBus; subscriber: EventBus }>]> = [
  [
    "memory",
    async () => {
      const bus = createMemoryEventBus();
      return { publisher: bus, subscriber: bus };
    },
  ],
  [
    "postgres (two connections, as two processes would have)",
    async () => ({
      publisher: await createPostgresEventBus(inject("databaseUrl")),
      subscriber: await createPostgresEventBus(inject("databaseUrl")),
    }),
  ],
];

const open: EventBus[] = [];
afterAll(async () => {
  for (const bus of new Set(open)) await bus.close();
});

function collect<K extends keyof EventMap>(bus: EventBus, topic: K, count: number) {
  const seen: EventMap[K][] = [];
  const done = new Promise<EventMap[K][]>((resolve) => {
    bus.subscribe(topic, (payload) => {
      seen.push(payload);
      if (seen.length === count) resolve(seen);
    });
  });
  return done;
}

describe.each(transports)("event bus: %s", (_name, make) => {
  it("delivers one publisher's events in publish order", async () => {
    const { publisher, subscriber } = await make();
    open.push(publisher, subscriber);
    const received = collect(subscriber, "jobLog.output", 50);
    let offset = 0;
    for (let i = 0; i < 50; i++) {
      const text = `line ${i} 中文\n`;
      await publisher.publish("jobLog.output", { logId: 1, jobId: "a.b", offset, text });
      offset += Buffer.byteLength(text);
    }
    const events = await received;
    expect(events.map((e) => e.text)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i} 中文\n`));
    expect(events.at(-1)!.offset).toBe(offset - Buffer.byteLength("line 49 中文\n"));
  });

  it("keeps publish order for a burst published without waiting (500 events, several topics)", async () => {
    const { publisher, subscriber } = await make();
    open.push(publisher, subscriber);
    const order: string[] = [];
    const all = new Promise<void>((resolve) => {
      const note = (what: string) => {
        order.push(what);
        if (order.length === 500) resolve();
      };
      subscriber.subscribe("jobLog.status", (p) => note(`status ${p.logId}`));
      subscriber.subscribe("jobLog.output", (p) => note(`output ${p.logId}`));
    });
    const sent: Promise<void>[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 500; i++) {
      const p =
        i % 3 === 0
          ? publisher.publish("jobLog.status", { logId: i, jobId: "a.b", status: "RUNNING", at: new Date().toISOString(), message: null })
          : publisher.publish("jobLog.output", { logId: i, jobId: "a.b", offset: 0, text: `x${i}` });
      sent.push(p);
      expected.push(`${i % 3 === 0 ? "status" : "output"} ${i}`);
    }
    await Promise.all(sent);
    await all;
    expect(order).toEqual(expected);
  });

  it("routes each topic only to its own subscribers, and unsubscribe stops delivery", async () => {
    const { publisher, subscriber } = await make();
    open.push(publisher, subscriber);
    const statuses: string[] = [];
    const off = subscriber.subscribe("jobLog.status", (p) => statuses.push(p.status));
    const changed = collect(subscriber, "job.changed", 2);
    await publisher.publish("jobLog.status", { logId: 7, jobId: "x", status: "RUNNING", at: new Date().toISOString() });
    await publisher.publish("job.changed", { jobId: "x", change: "updated" });
    off();
    await publisher.publish("jobLog.status", { logId: 7, jobId: "x", status: "SUCCESS", at: new Date().toISOString() });
    await publisher.publish("job.changed", { jobId: "x", change: "deleted" });
    expect((await changed).map((c) => c.change)).toEqual(["updated", "deleted"]);
    expect(statuses).toEqual(["RUNNING"]);
  });

  it("a throwing listener does not stop the others", async () => {
    const { publisher, subscriber } = await make();
    open.push(publisher, subscriber);
    subscriber.subscribe("run.cancelRequested", () => {
      throw new Error("listener bug");
    });
    const received = collect(subscriber, "run.cancelRequested", 1);
    await publisher.publish("run.cancelRequested", { logId: 42 });
    expect(await received).toEqual([{ logId: 42 }]);
  });
});

describe("postgres event bus limits", () => {
  it("refuses a payload over NOTIFY's limit with a typed error instead of losing it", async () => {
    const bus = await createPostgresEventBus(inject("databaseUrl"));
    open.push(bus);
    await expect(
      bus.publish("jobLog.output", { logId: 1, jobId: "a", offset: 0, text: "x".repeat(9000) }),
    ).rejects.toMatchObject({ code: "EVENT_TOO_LARGE" });
  });
});

describe("event bus: postgres, a process listening to some topics", () => {
  it("hears only those, in order with the rest of one publisher's events, and refuses to subscribe to others", async () => {
    const publisher = await createPostgresEventBus(inject("databaseUrl"));
    const worker = await createPostgresEventBus(inject("databaseUrl"), { listenTo: ["run.cancelRequested", "job.changed"] });
    open.push(publisher, worker);
    expect(() => worker.subscribe("jobLog.output", () => undefined)).toThrow(/does not listen to jobLog.output/);
    const heard: string[] = [];
    const done = new Promise<void>((resolve) => {
      worker.subscribe("run.cancelRequested", (p) => heard.push(`cancel ${p.logId}`));
      worker.subscribe("job.changed", (p) => {
        heard.push(`changed ${p.jobId}`);
        if (p.jobId === "last") resolve();
      });
    });
    await Promise.all([
      publisher.publish("run.cancelRequested", { logId: 1 }),
      publisher.publish("jobLog.output", { logId: 1, jobId: "a", offset: 0, text: "not for workers" }),
      publisher.publish("job.changed", { jobId: "a", change: "updated" }),
      publisher.publish("jobLog.status", { logId: 1, jobId: "a", status: "RUNNING", at: new Date().toISOString() }),
      publisher.publish("run.cancelRequested", { logId: 2 }),
      publisher.publish("job.changed", { jobId: "last", change: "deleted" }),
    ]);
    await done;
    expect(heard).toEqual(["cancel 1", "changed a", "cancel 2", "changed last"]);
  });
});

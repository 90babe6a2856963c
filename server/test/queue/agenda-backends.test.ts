import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { createPostgresEventBus } from "../../src/events/postgres-event-bus.ts";
import { createQueue, type Queue, type QueueBackendName } from "../../src/queue/queue.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Store {
  url: string;
  /** The PostgreSQL database whose event bus carries wake-ups (the queue's own on postgres). */
  databaseUrl: string;
}

async function storeFor(backend: QueueBackendName): Promise<Store> {
  const db = await createScratchDatabase();
  cleanups.push(db.drop);
  // Agenda's tables are the migrator's (it no longer creates them itself).
  await migrate(db.url);
  const url = backend === "postgres" ? db.url : `${inject("mongoUrl")}/agenda_${randomBytes(4).toString("hex")}`;
  return { url, databaseUrl: db.url };
}

/** A queue as a process opens it: its own event bus (own LISTEN connection) for wake-ups. */
async function queueOn(backend: QueueBackendName, store?: Store, processEveryMs = 200): Promise<Queue> {
  const { url, databaseUrl } = store ?? (await storeFor(backend));
  const events = await createPostgresEventBus(databaseUrl);
  cleanups.push(() => events.close());
  const queue = await createQueue({ backend, url, name: `test-${backend}`, maxConcurrency: 5, processEveryMs, lockLifetimeMs: 60_000, wakeBus: events });
  cleanups.push(() => queue.close());
  return queue;
}

describe.each<QueueBackendName>(["postgres", "mongodb"])("Agenda on the %s backend", (backend) => {
  it("processes an enqueued job with its data", async () => {
    const queue = await queueOn(backend);
    const seen: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      queue.agenda.define("connecthub.test.echo", async (job) => {
        seen.push(job.attrs.data);
        resolve();
      });
    });
    await queue.agenda.start();
    await queue.agenda.now("connecthub.test.echo", { hello: backend });
    await done;
    expect(seen).toEqual([{ hello: backend }]);
    await expect(queue.ping()).resolves.toBeUndefined();
  });

  it("a job saved by a queue that never starts (the api role) wakes an idle queue elsewhere before its next poll", async () => {
    const store = await storeFor(backend);
    // A poll so far away that only a wake-up can start the job during this test.
    const worker = await queueOn(backend, store, 10 * 60_000);
    const api = await queueOn(backend, store, 10 * 60_000);
    const ran = new Promise<string>((resolve) => worker.agenda.define("connecthub.test.wake", async (job) => resolve(String(job.attrs.data.n))));
    await worker.agenda.start();
    // The worker's first poll (at start) has found nothing; its next is ten minutes away, beyond
    // this test's timeout: the job can only start through the wake-up.
    await new Promise((r) => setTimeout(r, 300));
    await api.agenda.now("connecthub.test.wake", { n: 1 });
    expect(await ran).toBe("1");
  });
});

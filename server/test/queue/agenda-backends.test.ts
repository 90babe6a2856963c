import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrate } from "../../src/db/migrator.ts";
import { createQueue, type Queue, type QueueBackendName } from "../../src/queue/queue.ts";
import { createScratchDatabase } from "../harness/postgres.ts";

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function queueOn(backend: QueueBackendName): Promise<Queue> {
  let url: string;
  if (backend === "postgres") {
    const db = await createScratchDatabase();
    cleanups.push(db.drop);
    // Agenda's tables are the migrator's (it no longer creates them itself).
    await migrate(db.url);
    url = db.url;
  } else {
    url = `${inject("mongoUrl")}/agenda_${randomBytes(4).toString("hex")}`;
  }
  const queue = await createQueue({
    backend,
    url,
    name: `test-${backend}`,
    maxConcurrency: 5,
    processEveryMs: 200,
    lockLifetimeMs: 60_000,
    notifications: backend === "postgres",
  });
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
});

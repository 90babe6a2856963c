import { Agenda } from "agenda";
import { logger } from "../logging/logger.ts";

export type QueueBackendName = "postgres" | "mongodb";

export interface QueueOptions {
  backend: QueueBackendName;
  /** PostgreSQL URL for the postgres backend, MongoDB URL for the mongodb backend. */
  url: string;
  /** Instance name, shown in Agenda's lock records (helps tell workers apart). */
  name: string;
  maxConcurrency: number;
  /** How often idle workers poll for due jobs. */
  processEveryMs: number;
  /** A run whose lock is older than this is considered lost by Agenda. */
  lockLifetimeMs: number;
  /** LISTEN/NOTIFY wake-ups; off for embedded PGlite, whose one session cannot route them. */
  notifications: boolean;
}

export interface Queue {
  readonly backend: QueueBackendName;
  readonly agenda: Agenda;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Creates an Agenda instance on the chosen store, connected and ready (not yet processing). */
export async function createQueue(options: QueueOptions): Promise<Queue> {
  const backend =
    options.backend === "mongodb"
      ? new (await import("@agendajs/mongo-backend")).MongoBackend({ address: options.url, collection: "agendaJobs" })
      : new (await import("@agendajs/postgres-backend")).PostgresBackend({
          connectionString: options.url,
          tableName: "agenda_jobs",
          disableNotifications: !options.notifications,
        });
  const agenda = new Agenda({
    backend,
    name: options.name,
    maxConcurrency: options.maxConcurrency,
    defaultConcurrency: options.maxConcurrency,
    processEvery: options.processEveryMs,
    defaultLockLifetime: options.lockLifetimeMs,
  });
  agenda.on("error", (error) => logger().error({ err: error }, "queue error"));

  await agenda.ready;
  return {
    backend: options.backend,
    agenda,
    async ping() {
      // A cheap read that must reach the store.
      await agenda.queryJobs({ name: "connecthub.ping", limit: 1 });
    },
    async close() {
      await agenda.stop(true);
      // Agenda.stop() returns early when processing never started (the `api` role), leaving the
      // store's connection open. Closing an already closed backend throws; that is fine here.
      await backend.disconnect().catch(() => undefined);
    },
  };
}

import { Agenda, InMemoryNotificationChannel, type Job, type JobStateNotification } from "agenda";
import { logger } from "../logging/logger.ts";

export type QueueBackendName = "postgres" | "mongodb";

export interface QueueOptions {
  backend: QueueBackendName;
  /** PostgreSQL URL for the postgres backend, MongoDB URL for the mongodb backend. */
  url: string;
  /** Instance name, shown in Agenda's lock records (helps tell workers apart). */
  name: string;
  maxConcurrency: number;
  /**
   * How often idle workers poll for due jobs. Also how far ahead a poll locks jobs (they then start
   * on a timer at their instant), and, on mongodb, how late a job saved by another process starts.
   */
  processEveryMs: number;
  /** A run whose lock is older than this is considered lost by Agenda. */
  lockLifetimeMs: number;
  /** LISTEN/NOTIFY wake-ups (postgres backend); one-shot probes such as `doctor` turn them off. */
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
    // MongoDB has no notification channel: without one, a job saved in this process waits for the
    // next poll even here. The in-memory channel wakes this process's processor at once (other
    // processes still find it at their poll).
    ...(options.backend === "mongodb" ? { notificationChannel: new InMemoryNotificationChannel() } : {}),
  });
  agenda.on("error", (error) => logger().error({ err: error }, "queue error"));
  refillOnCompletion(agenda);

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

/**
 * Agenda locks more jobs only at its poll or on a notification, never when a job ends. A definition
 * with a lockLimit (the execute job locks only what its worker can run) would then sit idle for up
 * to a poll after a burst of short jobs while due jobs wait: each completion asks, through the
 * notification channel, for a refill (every process on postgres; coalesced per job name).
 */
function refillOnCompletion(agenda: Agenda): void {
  const pending = new Set<string>();
  agenda.on("complete", (job: Job | JobStateNotification, remote?: boolean) => {
    // Other processes' completions arrive here too (remote): each asks for its own refill.
    if (remote || !("attrs" in job)) return;
    const name = job.attrs.name;
    if (!agenda.definitions[name]?.lockLimit || pending.has(name)) return;
    pending.add(name);
    const wake = agenda.create(name, {});
    wake.attrs.nextRunAt = null;
    setImmediate(() => {
      pending.delete(name);
      void agenda.publishJobNotification(wake);
    });
  });
}

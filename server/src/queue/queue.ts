import { Agenda, type Job, type JobStateNotification, toJobId } from "agenda";
import type { Collection, Document } from "mongodb";
import { describeConnectionError, isConnectionError } from "../db/connection-errors.ts";
import { createPgPool } from "../db/pg-pool.ts";
import type { EventBus } from "../events/event-bus.ts";
import { logger } from "../logging/logger.ts";
import { type AppendRequest, type AppendToWaitingJob, appendOnMongo, appendOnPostgres } from "./append-to-waiting-job.ts";
import { type RemoveRunJob, removeOnMongo, removeOnPostgres } from "./remove-run-job.ts";
import { WakeChannel } from "./wake-channel.ts";

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
   * on a timer at their instant), and how late a job starts whose wake-up was lost.
   */
  processEveryMs: number;
  /** A run whose lock is older than this is considered lost by Agenda. */
  lockLifetimeMs: number;
  /**
   * Wake-ups across processes over this event bus (wake-channel.ts), on both backends; one-shot
   * probes such as `doctor` leave it out.
   */
  wakeBus?: EventBus;
}

export interface Queue {
  readonly backend: QueueBackendName;
  readonly agenda: Agenda;
  /** Resolves when the store answers; rejects otherwise. */
  ping(): Promise<void>;
  /**
   * Adds values to a job still waiting (due exactly at `dueAt`, locked by no worker), within `max`
   * entries, so that work planned piecemeal for one instant travels in few queue jobs; returns that
   * job's id, or null when none qualifies (then put a new job). Workers are woken as for a save.
   */
  appendToWaitingJob(request: AppendRequest): Promise<string | null>;
  /**
   * This process's wake-ups for queue jobs named `jobName` (saves anywhere, completions here) call
   * `handler` instead of waking Agenda's processor, which still finds such jobs at its polls.
   * Returns the function that undoes it. Without a wake channel, nothing is diverted.
   */
  divertWakeUps(jobName: string, handler: () => void): () => void;
  /** Removes a queue job if it carries only run `logId` (remove-run-job.ts); a group of runs stays. */
  removeJobOfRun(queueJobId: string, logId: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Creates an Agenda instance on the chosen store, connected and ready (not yet processing). */
export async function createQueue(options: QueueOptions): Promise<Queue> {
  const store = options.backend === "mongodb" ? await mongoStore(options) : await postgresStore(options);
  const { backend } = store;
  const wake = options.wakeBus ? new WakeChannel(options.wakeBus) : null;
  const agenda = new Agenda({
    backend,
    name: options.name,
    maxConcurrency: options.maxConcurrency,
    defaultConcurrency: options.maxConcurrency,
    processEvery: options.processEveryMs,
    defaultLockLifetime: options.lockLifetimeMs,
    ...(wake ? { notificationChannel: wake } : {}),
  });
  let closing = false;
  const logError = queueErrorLogger("queue error");
  // Closing a MongoDB backend makes its pending operations fail with "Topology is closed": expected
  // at shutdown, not an error worth a line each.
  agenda.on("error", (error: unknown) => (closing ? logger().debug({ err: error }, "queue error while closing") : logError(error)));
  if (wake) refillOnCompletion(agenda, wake);

  await agenda.ready;
  return {
    backend: options.backend,
    agenda,
    async appendToWaitingJob(request) {
      const id = await store.append(request);
      if (id) await wake?.publish({ jobId: toJobId(id), jobName: request.name, nextRunAt: request.dueAt, priority: 0, timestamp: new Date() });
      return id;
    },
    removeJobOfRun: (queueJobId, logId) => store.removeRunJob(queueJobId, logId),
    divertWakeUps(jobName, handler) {
      return wake ? wake.divert(jobName, handler) : () => {};
    },
    async ping() {
      // A cheap read that must reach the store.
      await agenda.queryJobs({ name: "connecthub.ping", limit: 1 });
    },
    async close() {
      closing = true;
      await agenda.stop(true);
      wake?.close();
      // Agenda.stop() returns early when processing never started (the `api` role), leaving the
      // store's connection open. Closing an already closed backend throws; that is fine here.
      await backend.disconnect().catch(() => undefined);
      await store.close();
    },
  };
}

/**
 * Agenda locks more jobs only at its poll or on a notification, never when a job ends. A definition
 * with a lockLimit (the execute job locks only what its worker can run) would then sit idle for up
 * to a poll after a burst of short jobs while due jobs wait: each completion wakes this process's
 * processor for a refill (coalesced per job name; other processes' limits are theirs).
 */
function refillOnCompletion(agenda: Agenda, wake: WakeChannel): void {
  const pending = new Set<string>();
  agenda.on("complete", (job: Job | JobStateNotification, remote?: boolean) => {
    // Other processes' completions arrive here too (remote): each asks for its own refill.
    if (remote || !("attrs" in job)) return;
    const name = job.attrs.name;
    if (!agenda.definitions[name]?.lockLimit || pending.has(name)) return;
    pending.add(name);
    setImmediate(() => {
      pending.delete(name);
      wake.wakeHere({ jobName: name, nextRunAt: null });
    });
  });
}

interface Store {
  backend: AgendaBackend;
  append: AppendToWaitingJob;
  removeRunJob: RemoveRunJob;
  close(): Promise<void>;
}
type AgendaBackend = ConstructorParameters<typeof Agenda>[0]["backend"];

/**
 * Agenda on PostgreSQL, on a pool of ours: the backend's own pool has no `error` listener, so one
 * terminated idle connection used to kill the process. Its tables are the migrator's
 * (ensureSchema: false; see the agenda_queue_tables migration). Its notification channel is
 * ours too (wake-channel.ts): the backend's own would NOTIFY every job's state changes as well.
 */
async function postgresStore(options: QueueOptions): Promise<Store> {
  const { PostgresBackend } = await import("@agendajs/postgres-backend");
  const pool = createPgPool(options.url, "queue", { max: 10 });
  const backend = new PostgresBackend({ pool, tableName: "agenda_jobs", ensureSchema: false, disableNotifications: true });
  return { backend, append: appendOnPostgres(pool), removeRunJob: removeOnPostgres(pool), close: () => pool.end().catch(() => undefined) };
}

async function mongoStore(options: QueueOptions): Promise<Store> {
  const { MongoBackend } = await import("@agendajs/mongo-backend");
  // Wake-ups go over the event bus (wake-channel.ts): Agenda's MongoDB channel needs change
  // streams, which FerretDB lacks. The MongoDB driver reconnects by itself.
  const backend = new MongoBackend({ address: options.url, collection: "agendaJobs" });
  // The repository's collection exists once Agenda is ready (createQueue awaits that before use).
  const collection = () => (backend.repository as unknown as { collection: Collection<Document> }).collection;
  return { backend, append: appendOnMongo(collection), removeRunJob: removeOnMongo(collection), close: async () => undefined };
}

/**
 * Logs queue errors; while the store is away every poll fails the same way, so connection errors
 * are logged once per 10 s (the store's state is what /ready reports).
 */
function queueErrorLogger(message: string): (error: unknown) => void {
  let quietUntil = 0;
  return (error) => {
    if (!isConnectionError(error)) return void logger().error({ err: error }, message);
    if (Date.now() < quietUntil) return;
    quietUntil = Date.now() + 10_000;
    logger().warn({ error: describeConnectionError(error) }, `${message}: the queue store is unreachable; retrying`);
  };
}

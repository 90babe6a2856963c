import os from "node:os";
import type { Config } from "./config/config.ts";
import type { EmbeddedPostgres } from "./db/embedded-postgres.ts";
import { startEmbedded } from "./embedded-start.ts";
import { migrate, withMigrationLock } from "./db/migrator.ts";
import { createPrisma, type Prisma } from "./db/prisma.ts";
import type { EventBus } from "./events/event-bus.ts";
import type { Topic } from "./events/event-map.ts";
import { createPostgresEventBus } from "./events/postgres-event-bus.ts";
import { logger } from "./logging/logger.ts";
import { createQueue, type Queue } from "./queue/queue.ts";
import type { Fernet } from "./security/fernet.ts";
import { fernetAccessor, loadKeyAtStart } from "./security/key-at-start.ts";
import type { SecretError } from "./security/secret-errors.ts";
import { markStartup } from "./startup-timings.ts";

/** The shared services of one process, opened in dependency order and closed in reverse. */
export interface Runtime {
  config: Config;
  databaseUrl: string;
  prisma: Prisma;
  queue: Queue;
  events: EventBus;
  /** The key file's key; null when it is missing or unreadable while secrets exist (see keyProblem). */
  fernetKey: string | null;
  keyProblem: SecretError | null;
  /** The Fernet of `fernetKey`; throws `keyProblem` (with its fix) when there is none. */
  fernet(): Fernet;
  /** Identifies this process in run records and queue locks. */
  instanceId: string;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Event topics this process subscribes to (default all): a process hears only these. */
  listenTo?: readonly Topic[];
  /**
   * The embedded PostgreSQL (when DATABASE_URL is unset) already being started by the caller,
   * which let it boot while this process was still loading its modules; else it is started here.
   */
  embedded?: Promise<EmbeddedPostgres>;
}

export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const instanceId = `${os.hostname()}:${process.pid}`;
  const log = logger();
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch((err) => log.error({ err }, "error while closing"));
  };
  try {
    let databaseUrl = config.DATABASE_URL;
    let embedded: EmbeddedPostgres | undefined;
    // Embedded mode is a real PostgreSQL server too: from here on both modes are the same.
    if (!databaseUrl) {
      embedded = await (options.embedded ?? startEmbedded(config));
      closers.push(() => embedded!.stop());
      databaseUrl = embedded.url;
    }
    const applied = await migrate(databaseUrl);
    if (applied.length) log.info({ migrations: applied }, "database migrated");
    markStartup("migrated");

    const prisma = createPrisma(databaseUrl);
    closers.push(() => prisma.$disconnect());

    const startKey = await loadKeyAtStart(config.fernetKeyPath, async () =>
      (await prisma.job.findMany({ where: { OR: [{ secretCfg: { not: null } }, { webhookSecret: { not: null } }] }, select: { id: true } })).map((j) => j.id),
    );
    if (startKey.created) log.warn({ path: config.fernetKeyPath }, "generated a new Fernet key: back it up, secrets cannot be decrypted without it");
    if (startKey.problem) {
      log.error(
        { path: config.fernetKeyPath, jobs: startKey.affectedJobIds.slice(0, 50), jobCount: startKey.affectedJobIds.length },
        `secrets cannot be used until the key file is fixed: ${startKey.problem.message}`,
      );
    }

    markStartup("key");
    const events = await createPostgresEventBus(databaseUrl, { listenTo: options.listenTo });
    closers.push(() => events.close());

    const openQueue = () => createQueue({
      backend: config.queueBackend,
      url: config.queueBackend === "mongodb" ? config.MONGODB_URL! : databaseUrl,
      name: instanceId,
      maxConcurrency: config.WORKER_CONCURRENCY,
      processEveryMs: config.QUEUE_POLL_MS,
      lockLifetimeMs: 60_000,
      // Saves wake idle workers of every process over the event bus (Run Now from an API process too).
      wakeBus: events,
    });
    // Agenda creates MongoDB's indexes at connect (PostgreSQL's tables are a migration): under the
    // migrator's lock, so processes starting together on a fresh store take turns.
    const queue = config.queueBackend === "mongodb" ? await withMigrationLock(databaseUrl, openQueue) : await openQueue();
    closers.push(() => queue.close());
    markStartup("queue");

    return {
      config,
      databaseUrl,
      prisma,
      queue,
      events,
      fernetKey: startKey.key,
      keyProblem: startKey.problem,
      fernet: fernetAccessor(startKey),
      instanceId,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

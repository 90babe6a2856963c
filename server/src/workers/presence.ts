import os from "node:os";
import { outageLogger } from "../db/connection-errors.ts";
import type { Prisma } from "../db/prisma.ts";
import { logger } from "../logging/logger.ts";
import { beatPresence, enterPresence, leavePresence, pruneGone, type PresenceReport } from "./presence-store.ts";

export interface PresenceOptions {
  prisma: Prisma;
  workerId: string;
  /** The process role (worker or all). */
  role: string;
  runSlots: number;
  /** Seconds between beats (HEARTBEAT_SECONDS). */
  heartbeatSeconds: number;
  /** Runs executing now, read at each beat. */
  runsInFlight: () => number;
  /** Timers, replaceable in tests (a test drives beats with `beat()` instead of waiting). */
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

export interface Presence {
  /** Writes the row (start time: now) and starts beating. */
  start(): Promise<void>;
  /** One beat now: refresh this row, prune the rows of workers that are gone. */
  beat(): Promise<void>;
  /** The process takes no new work: the next beat (sent at once) says so. */
  markStopping(): void;
  /** Stops beating and deletes the row. */
  stop(): Promise<void>;
}

/** This worker process's presence row (worker_presence), the only writer of that table. */
export function createPresence(options: PresenceOptions): Presence {
  const { prisma, workerId } = options;
  const every = options.setInterval ?? ((fn, ms) => setInterval(fn, ms).unref());
  const clear = options.clearInterval ?? ((handle) => clearInterval(handle as NodeJS.Timeout));
  const logFailure = outageLogger();
  /** Beating (between start and stop). */
  let running = false;
  /** The row's start time once written; null until the first write succeeded. */
  let startedAt: Date | null = null;
  let stopping = false;
  let timer: unknown;
  let beating: Promise<void> = Promise.resolve();

  const report = (): PresenceReport => ({
    workerId,
    host: os.hostname(),
    pid: process.pid,
    role: options.role,
    heartbeatSeconds: options.heartbeatSeconds,
    runSlots: options.runSlots,
    runsInFlight: options.runsInFlight(),
    stopping,
  });

  async function beatOnce(): Promise<void> {
    if (!running) return;
    try {
      // The first write (at start, or at a later beat if the database was away then) sets the start time.
      if (!startedAt) startedAt = await enterPresence(prisma, report());
      else await beatPresence(prisma, report(), startedAt);
      const gone = await pruneGone(prisma);
      if (gone.length) logger().info({ workers: gone }, "workers without a heartbeat are gone; their presence rows were removed");
    } catch (error) {
      logFailure(logger(), error, "worker presence heartbeat failed");
    }
  }

  // Beats never overlap: a slow one delays the next.
  const beat = () => (beating = beating.then(beatOnce));

  return {
    /** A database that is away only delays the row: start never fails for it. */
    async start() {
      running = true;
      stopping = false;
      startedAt = null;
      await beat();
      timer = every(() => void beat(), options.heartbeatSeconds * 1000);
    },
    beat,
    markStopping() {
      if (stopping) return;
      stopping = true;
      void beat();
    },
    async stop() {
      if (!running) return;
      running = false;
      clear(timer);
      await beating;
      startedAt = null;
      await leavePresence(prisma, workerId).catch((error) => logFailure(logger(), error, "removing the worker presence row failed"));
    },
  };
}

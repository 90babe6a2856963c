import type { Prisma } from "../db/prisma.ts";

/** A worker process as it last reported itself. */
export interface WorkerPresence {
  workerId: string;
  host: string;
  pid: number;
  role: string;
  startedAt: Date;
  lastHeartbeatAt: Date;
  heartbeatSeconds: number;
  runSlots: number;
  runsInFlight: number;
  stoppingSince: Date | null;
}

/** What a worker says about itself at each beat. */
export interface PresenceReport {
  workerId: string;
  host: string;
  pid: number;
  role: string;
  heartbeatSeconds: number;
  runSlots: number;
  runsInFlight: number;
  stopping: boolean;
}

/**
 * A row is stale once this many of its own heartbeat intervals passed without a beat: one late
 * beat (a busy event loop, a slow statement) does not make a worker disappear.
 */
export const STALE_AFTER_BEATS = 3;

// Times are the database's (now()), never a process clock: workers on several hosts write rows
// that an API process on yet another host judges.

/** The first write: the row (re)written whole, started now (a pid reused after a crash starts afresh). */
export async function enterPresence(prisma: Prisma, r: PresenceReport): Promise<Date> {
  const [row] = await prisma.$queryRaw<Array<{ started_at: Date }>>`
    INSERT INTO worker_presence (worker_id, host, pid, role, started_at, last_heartbeat_at, heartbeat_seconds, run_slots, runs_in_flight, stopping_since)
    VALUES (${r.workerId}, ${r.host}, ${r.pid}, ${r.role}, now(), now(), ${r.heartbeatSeconds}, ${r.runSlots}, ${r.runsInFlight}, CASE WHEN ${r.stopping} THEN now() END)
    ON CONFLICT (worker_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, role = excluded.role,
      started_at = now(), last_heartbeat_at = now(), heartbeat_seconds = excluded.heartbeat_seconds,
      run_slots = excluded.run_slots, runs_in_flight = excluded.runs_in_flight, stopping_since = excluded.stopping_since
    RETURNING started_at`;
  return row!.started_at;
}

/**
 * A beat: the row refreshed, or written again with its start time if it was pruned meanwhile (a
 * process stalled past the threshold that comes back is alive again).
 */
export async function beatPresence(prisma: Prisma, r: PresenceReport, startedAt: Date): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO worker_presence (worker_id, host, pid, role, started_at, last_heartbeat_at, heartbeat_seconds, run_slots, runs_in_flight, stopping_since)
    VALUES (${r.workerId}, ${r.host}, ${r.pid}, ${r.role}, ${startedAt}, now(), ${r.heartbeatSeconds}, ${r.runSlots}, ${r.runsInFlight}, CASE WHEN ${r.stopping} THEN now() END)
    ON CONFLICT (worker_id) DO UPDATE SET last_heartbeat_at = now(), runs_in_flight = excluded.runs_in_flight,
      stopping_since = CASE WHEN ${r.stopping} THEN COALESCE(worker_presence.stopping_since, now()) END`;
}

/** Deletes the rows of workers that are gone (no beat for STALE_AFTER_BEATS of their intervals); returns their ids. */
export async function pruneGone(prisma: Prisma): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ worker_id: string }>>`
    DELETE FROM worker_presence
    WHERE last_heartbeat_at < now() - (heartbeat_seconds * ${STALE_AFTER_BEATS}) * interval '1 second'
    RETURNING worker_id`;
  return rows.map((r) => r.worker_id).sort();
}

/** At a graceful stop. */
export async function leavePresence(prisma: Prisma, workerId: string): Promise<void> {
  await prisma.$executeRaw`DELETE FROM worker_presence WHERE worker_id = ${workerId}`;
}

/** The workers alive now (a stale row is left out whether or not it was pruned yet), by id. */
export async function aliveWorkers(prisma: Prisma): Promise<WorkerPresence[]> {
  return prisma.$queryRaw<WorkerPresence[]>`
    SELECT worker_id AS "workerId", host, pid, role, started_at AS "startedAt", last_heartbeat_at AS "lastHeartbeatAt",
      heartbeat_seconds AS "heartbeatSeconds", run_slots AS "runSlots", runs_in_flight AS "runsInFlight", stopping_since AS "stoppingSince"
    FROM worker_presence
    WHERE last_heartbeat_at >= now() - (heartbeat_seconds * ${STALE_AFTER_BEATS}) * interval '1 second'
    ORDER BY worker_id`;
}

import { GraphQLError } from "graphql";
import { Repeater } from "graphql-yoga";
import type { EventMap } from "../events/event-map.ts";
import type { JobStatus } from "../generated/prisma/enums.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";

export interface JobLogEvent {
  kind: "STATUS" | "OUTPUT";
  logId: number;
  jobId: string;
  status: JobStatus | null;
  message: string | null;
  /** STATUS: the message's code and parameters (runs/run-messages.ts), when it has them. */
  messageCode?: string | null;
  messageParams?: Record<string, string | number> | null;
  at: string | null;
  /** OUTPUT: UTF-8 byte offset of `text` in the run's log; `nextOffset` is where the next piece starts. */
  offset: number | null;
  text: string | null;
  nextOffset: number | null;
}

export interface StreamFilter {
  jobId?: string | null;
  logId?: number | null;
  /** With logId: resume from this byte offset (the last `nextOffset` seen); default 0 = whole log. */
  fromOffset?: number | null;
}

type Incoming =
  | { topic: "status"; p: EventMap["jobLog.status"] }
  | { topic: "output"; p: EventMap["jobLog.output"] }
  /** The transport reconnected: events may have been lost while it was away. */
  | { topic: "resync"; lostAt: Date };

const RANK: Record<JobStatus, number> = { QUEUED: 0, RUNNING: 1, SUCCESS: 2, FAILURE: 2, CANCELLED: 2, ABANDONED: 2 };
export const isTerminal = (status: JobStatus) => RANK[status] === 2;

/** The worker flushes runLog at most every second; a gap older than this is not coming. */
const GAP_RETRY_MS = 200;
const GAP_WAIT_MS = 5_000;
const CATCH_UP_CHUNK_BYTES = 32 * 1024;
/** After a reconnect, runs changed this long before the connection was lost are read again too (clock skew). */
const RESYNC_MARGIN_MS = 5_000;
const RESYNC_MAX_RUNS = 500;

/** Slices `text` by UTF-8 byte offsets. */
function sliceBytes(text: string, from: number, to?: number): string {
  return Buffer.from(text, "utf8").subarray(from, to).toString("utf8");
}

/**
 * A resume offset that falls inside a multi-byte character moves back to where that character
 * starts, so the stream resends it whole instead of sending its tail as "\uFFFD".
 */
export function charBoundaryAtOrBefore(text: string, offset: number): number {
  const bytes = Buffer.from(text, "utf8");
  let at = offset;
  while (at > 0 && at < bytes.length && (bytes[at]! & 0xc0) === 0x80) at--;
  return at;
}

/** Splits at character boundaries into pieces of about `max` bytes. */
function* byteChunks(bytes: Buffer, start: number, max: number): Generator<{ offset: number; text: string }> {
  let offset = 0;
  while (offset < bytes.length) {
    let end = Math.min(offset + max, bytes.length);
    while (end < bytes.length && end > offset && (bytes[end]! & 0xc0) === 0x80) end--;
    yield { offset: start + offset, text: bytes.subarray(offset, end).toString("utf8") };
    offset = end;
  }
}

const statusEvent = (logId: number, jobId: string, status: JobStatus, at: string | null, message: string | null): JobLogEvent => ({
  kind: "STATUS", logId, jobId, status, at, message, offset: null, text: null, nextOffset: null,
});
const outputEvent = (logId: number, jobId: string, offset: number, text: string): JobLogEvent => ({
  kind: "OUTPUT", logId, jobId, status: null, message: null, at: null, offset, text, nextOffset: offset + Buffer.byteLength(text, "utf8"),
});

/**
 * Live status changes and run-log text, per run in order and without gaps. Events arrive over the
 * event bus; when one starts beyond what was delivered (a subscriber joining mid-run, a dropped
 * notification), the missing bytes are read from JobLog.runLog, waiting briefly for the worker's
 * next flush. With `logId` the stream starts from the database (status, then the log from
 * `fromOffset`) and ends after the run finishes.
 */
export function jobLogEvents(runtime: Runtime, filter: StreamFilter): AsyncIterable<JobLogEvent> {
  const { prisma, events } = runtime;
  return new Repeater<JobLogEvent>(async (push, stop) => {
    const inbox: Incoming[] = [];
    let wake: (() => void) | null = null;
    let stopped = false;
    const matches = (p: { logId: number; jobId: string }) =>
      (filter.logId == null || p.logId === filter.logId) && (filter.jobId == null || p.jobId === filter.jobId);
    const enqueue = (item: Incoming) => {
      inbox.push(item);
      wake?.();
    };
    // Subscribe before reading the database, so nothing published in between is lost.
    const offStatus = events.subscribe("jobLog.status", (p) => matches(p) && enqueue({ topic: "status", p }));
    const offOutput = events.subscribe("jobLog.output", (p) => matches(p) && enqueue({ topic: "output", p }));
    const offResync = events.onResync((lostAt) => enqueue({ topic: "resync", lostAt }));
    void stop.then(() => {
      stopped = true;
      wake?.();
    });

    /** Per run: bytes delivered so far and the furthest status delivered. */
    const runs = new Map<number, { delivered: number; rank: number; unseen?: boolean }>();

    const readLog = (id: number) => prisma.jobLog.findUnique({ where: { id }, select: { runLog: true, runLogBytes: true, status: true, jobId: true } });

    async function deliverFromDb(logId: number, jobId: string, from: number, upTo?: number): Promise<number> {
      const deadline = Date.now() + GAP_WAIT_MS;
      for (;;) {
        const row = await readLog(logId);
        if (!row) return from;
        const end = upTo ?? row.runLogBytes;
        if (row.runLogBytes >= end || Date.now() >= deadline || stopped) {
          const available = Math.min(end, row.runLogBytes);
          if (available < end) logger().warn({ logId, from, end, flushed: row.runLogBytes }, "run-log gap not flushed in time; delivering what is stored");
          if (available <= from) return from;
          const bytes = Buffer.from(row.runLog, "utf8").subarray(from, available);
          for (const piece of byteChunks(bytes, from, CATCH_UP_CHUNK_BYTES)) await push(outputEvent(logId, jobId, piece.offset, piece.text));
          return available;
        }
        await new Promise((r) => setTimeout(r, GAP_RETRY_MS));
      }
    }

    async function onOutput(p: EventMap["jobLog.output"]): Promise<void> {
      let run = runs.get(p.logId);
      // First sight of a run that started before we subscribed: begin at this piece.
      if (!run) runs.set(p.logId, (run = { delivered: p.offset, rank: 1 }));
      const end = p.offset + Buffer.byteLength(p.text, "utf8");
      if (end <= run.delivered) return;
      if (p.offset > run.delivered) run.delivered = await deliverFromDb(p.logId, p.jobId, run.delivered, p.offset);
      if (p.offset === run.delivered) {
        await push(outputEvent(p.logId, p.jobId, p.offset, p.text));
      } else if (p.offset < run.delivered) {
        await push(outputEvent(p.logId, p.jobId, run.delivered, sliceBytes(p.text, run.delivered - p.offset)));
      } else {
        return; // the gap could not be filled; a later piece retries from `delivered`
      }
      run.delivered = end;
    }

    async function onStatus(p: EventMap["jobLog.status"]): Promise<boolean> {
      let run = runs.get(p.logId);
      const firstSight = !run;
      if (!run) runs.set(p.logId, (run = { delivered: 0, rank: -1 }));
      if (RANK[p.status] <= run.rank) return false;
      // A finished run's log is complete in the database: deliver any tail not seen live first
      // (not for a run first seen finishing: its log started before this subscription).
      if (isTerminal(p.status) && !firstSight) run.delivered = await deliverFromDb(p.logId, p.jobId, run.delivered);
      run.rank = RANK[p.status];
      await push({ ...statusEvent(p.logId, p.jobId, p.status, p.at, p.message ?? null), messageCode: p.messageCode ?? null, messageParams: p.messageParams ?? null });
      return isTerminal(p.status);
    }

    /**
     * After a reconnect: every run this stream follows that had not finished is read again, and
     * the log text and status it missed are delivered from the database (nothing is lost silently).
     * Returns true when the followed run (`logId`) has finished.
     */
    async function onResync(lostAt: Date): Promise<boolean> {
      if (filter.logId == null) {
        // Runs this stream matches that were created, started or finished while events were lost.
        const since = new Date(lostAt.getTime() - RESYNC_MARGIN_MS);
        const changed = await prisma.jobLog.findMany({
          where: { ...(filter.jobId != null ? { jobId: filter.jobId } : {}), OR: [{ createdAt: { gte: since } }, { startedAt: { gte: since } }, { finishedAt: { gte: since } }] },
          select: { id: true },
          orderBy: { id: "asc" },
          take: RESYNC_MAX_RUNS,
        });
        for (const { id } of changed) if (!runs.has(id)) runs.set(id, { delivered: 0, rank: -1, unseen: true });
      }
      for (const [logId, run] of runs) {
        if (run.rank === 2) continue;
        const row = await readLog(logId);
        if (!row) continue;
        // A run first seen now gets its status only (as a run first seen finishing live would).
        if (!run.unseen && row.runLogBytes > run.delivered) run.delivered = await deliverFromDb(logId, row.jobId, run.delivered);
        if (run.unseen) {
          run.unseen = false;
          run.delivered = row.runLogBytes;
        }
        if (RANK[row.status] > run.rank && (await onStatus({ logId, jobId: row.jobId, status: row.status, at: new Date().toISOString(), message: null })) && logId === filter.logId) {
          return true;
        }
      }
      return false;
    }

    try {
      if (filter.logId != null) {
        const row = await readLog(filter.logId);
        if (!row) throw new GraphQLError(`JobLog ${filter.logId} does not exist.`, { extensions: { code: "NOT_FOUND" } });
        if (filter.jobId != null && filter.jobId !== row.jobId) {
          throw new GraphQLError(`JobLog ${filter.logId} is a run of job ${JSON.stringify(row.jobId)}, not ${JSON.stringify(filter.jobId)}.`, { extensions: { code: "BAD_USER_INPUT" } });
        }
        const from = charBoundaryAtOrBefore(row.runLog, filter.fromOffset ?? 0);
        await push(statusEvent(filter.logId, row.jobId, row.status, null, null));
        runs.set(filter.logId, { delivered: from, rank: RANK[row.status] });
        const run = runs.get(filter.logId)!;
        if (row.runLogBytes > from) run.delivered = await deliverFromDb(filter.logId, row.jobId, from);
        if (isTerminal(row.status)) return stop();
      }
      while (!stopped) {
        const next = inbox.shift();
        if (!next) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        if (next.topic === "output") await onOutput(next.p);
        else if (next.topic === "resync") {
          if (await onResync(next.lostAt)) return stop();
        } else if ((await onStatus(next.p)) && filter.logId != null) return stop();
      }
    } catch (error) {
      stop(error);
    } finally {
      offStatus();
      offOutput();
      offResync();
    }
  });
}

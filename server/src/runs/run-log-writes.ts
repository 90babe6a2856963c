import { DateTime } from "luxon";
import type { Prisma } from "../db/prisma.ts";
import { MAX_OUTPUT_CHUNK_BYTES } from "../events/event-map.ts";
import type { Runtime } from "../runtime.ts";
import { publishSafely } from "./publish.ts";
import { splitUtf8, utf8Bytes } from "./utf8-chunks.ts";

/**
 * Stores a RUNNING run's log so far (the worker flushes it at most once a second; its chunks went
 * out as `jobLog.output` events as they were written). False when the run is no longer RUNNING.
 */
export async function flushRunLog(prisma: Prisma, logId: number, runLog: string, runLogBytes: number): Promise<boolean> {
  const { count } = await prisma.jobLog.updateMany({ where: { id: logId, status: "RUNNING" }, data: { runLog, runLogBytes } });
  return count === 1;
}

/**
 * Appends a line to a finished run's log (atomically, so concurrent notes cannot overwrite each
 * other) and streams it at the offset it landed at.
 */
export async function appendToRunLog(runtime: Runtime, log: { id: number; jobId: string }, zone: string, level: string, text: string): Promise<void> {
  const ts = DateTime.now().setZone(zone).toISO({ includeOffset: true });
  const line = `${ts} ${level.padEnd(5)} ${text}\n`;
  const bytes = utf8Bytes(line);
  const rows = await runtime.prisma.$queryRaw<{ offset: number }[]>`
    UPDATE job_logs SET run_log = run_log || ${line}, run_log_bytes = run_log_bytes + ${bytes}
    WHERE id = ${log.id} RETURNING run_log_bytes - ${bytes} AS "offset"`;
  if (!rows[0]) return;
  let offset = Number(rows[0].offset);
  for (const chunk of splitUtf8(line, MAX_OUTPUT_CHUNK_BYTES)) {
    await publishSafely(runtime, "jobLog.output", { logId: log.id, jobId: log.jobId, offset, text: chunk });
    offset += utf8Bytes(chunk);
  }
}

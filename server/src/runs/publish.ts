import type { EventMap, Topic } from "../events/event-map.ts";
import type { JobStatus } from "../generated/prisma/enums.ts";
import { logContext } from "../logging/log-context.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";

/**
 * Publishes without ever failing the caller: a lost event only delays a live view (the database
 * stays the truth). Failures are logged outside any run's log context, so a publish error can
 * never feed back into the run log it was publishing.
 */
export async function publishSafely<K extends Topic>(runtime: Runtime, topic: K, payload: EventMap[K]): Promise<void> {
  try {
    await runtime.events.publish(topic, payload);
  } catch (err) {
    logContext.exit(() => logger().warn({ err, topic }, "could not publish event"));
  }
}

export function publishStatus(runtime: Runtime, log: { id: number; jobId: string }, status: JobStatus, message?: string | null): Promise<void> {
  return publishSafely(runtime, "jobLog.status", { logId: log.id, jobId: log.jobId, status, at: new Date().toISOString(), message: message ?? null });
}

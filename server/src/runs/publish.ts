import type { EventMap, Topic } from "../events/event-map.ts";
import type { JobStatus } from "../generated/prisma/enums.ts";
import { logContext } from "../logging/log-context.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import type { RunMessage } from "./run-messages.ts";

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

/** `message`: the run's message as stored (text), with its code and parameters when it has them (run-messages.ts). */
export function publishStatus(runtime: Runtime, log: { id: number; jobId: string }, status: JobStatus, message?: StatusMessage | null): Promise<void> {
  const coded = message && typeof message === "object" ? message : null;
  return publishSafely(runtime, "jobLog.status", {
    logId: log.id,
    jobId: log.jobId,
    status,
    at: new Date().toISOString(),
    message: coded ? coded.text : ((message as string | null | undefined) ?? null),
    ...(coded ? { messageCode: coded.code, messageParams: coded.params } : {}),
  });
}

export type StatusMessage = string | Pick<RunMessage, "code" | "params" | "text">;

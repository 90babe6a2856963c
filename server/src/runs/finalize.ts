import type { JobLog } from "../generated/prisma/client.ts";
import { logger } from "../logging/logger.ts";
import type { Runtime } from "../runtime.ts";
import { DEFAULT_DELIVERY, notifyRunFinished, type DeliveryPolicy, type WebhookSettings } from "../webhooks/index.ts";
import { publishStatus, type StatusMessage } from "./publish.ts";
import type { RunMessageCode, RunMessageParams } from "./run-messages.ts";
import { appendToRunLog } from "./run-log-writes.ts";
import { isFailed, isFinal } from "./status.ts";

/**
 * The one way a run's end is made known, whatever ended it (settled by its worker, cancelled while
 * QUEUED, withdrawn at its slot, abandoned by the sweep): publishes its final status, then sends the
 * job's own webhook (per its webhookWhen) or, for a job without one, the global webhook, noting a
 * failed delivery in the run's log.
 * Call it once the final state is stored, by whoever stored it. Starts both at once and returns
 * them (neither rejects): `published` for the status event, `notified` for the webhooks. A caller
 * that must not wait on a slow receiver (an API request, the sweep, a worker's run slot) leaves
 * `notified` running; the worker tracks it for shutdown.
 *
 * `settings`: the job's webhook settings as the caller already read them (null: the job is gone);
 * omitted, they are read now.
 */
export function finalizeRun(
  runtime: Runtime,
  run: JobLog,
  settings?: WebhookSettings | null,
  policy: DeliveryPolicy = DEFAULT_DELIVERY,
): Finalized {
  if (!isFinal(run.status)) throw new Error(`finalizeRun: run #${run.id} is ${run.status}, not in a final state`);
  return { published: publishStatus(runtime, run, run.status, storedMessage(run)), notified: notify(runtime, run, settings, policy) };
}

/** The run's stored message, with its code and parameters when it has them (runs/run-messages.ts). */
function storedMessage(run: JobLog): StatusMessage | null {
  if (run.message === null) return null;
  if (run.messageCode === null) return run.message;
  return { code: run.messageCode as RunMessageCode, params: (run.messageParams ?? {}) as RunMessageParams, text: run.message };
}

export interface Finalized {
  published: Promise<void>;
  notified: Promise<void>;
}

async function notify(runtime: Runtime, run: JobLog, settings: WebhookSettings | null | undefined, policy: DeliveryPolicy): Promise<void> {
  try {
    const { problems, zone } = await notifyRunFinished(runtime, run, isFailed(run.status), policy, settings);
    for (const problem of problems) {
      await appendToRunLog(runtime, run, zone, "WARN", problem).catch((err) => logger().warn({ err, log_id: run.id }, "could not note a webhook failure in the run log"));
    }
  } catch (err) {
    logger().error({ err, log_id: run.id }, "webhook notification failed");
  }
}

/**
 * finalizeRun for runs one statement ended (the abandon sweep, a cancel, a withdrawal): reads them
 * back whole, for the webhook payload.
 */
export async function finalizeRunsById(runtime: Runtime, ids: readonly number[]): Promise<Finalized> {
  const runs = ids.length ? await runtime.prisma.jobLog.findMany({ where: { id: { in: [...ids] } }, orderBy: { id: "asc" } }) : [];
  const all = runs.map((run) => finalizeRun(runtime, run));
  const settled = (ps: Promise<void>[]) => Promise.all(ps).then(() => undefined);
  return { published: settled(all.map((f) => f.published)), notified: settled(all.map((f) => f.notified)) };
}

import { DateTime } from "luxon";
import type { Job, JobLog } from "../../generated/prisma/client.ts";
import type { WebhookFormat } from "../../generated/prisma/enums.ts";
import { maskLiveSecrets, trackSecrets } from "../../logging/live-secrets.ts";
import { logger } from "../../logging/logger.ts";
import { SecretMasker } from "../../logging/secret-masker.ts";
import type { Runtime } from "../../runtime.ts";
import { Fernet } from "../../security/fernet.ts";
import { recordWebhookOutcomes } from "../../observability/record.ts";
import { withTrace } from "../../observability/trace-context.ts";
import { startSpan, traced } from "../../observability/tracing.ts";
import { publishSafely } from "../publish.ts";
import { splitUtf8, utf8Bytes } from "../utf8-chunks.ts";
import { MAX_OUTPUT_CHUNK_BYTES } from "../../events/event-map.ts";
import { DEFAULT_DELIVERY, deliverWebhook, displayUrl, type DeliveryPolicy } from "./deliver.ts";
import { buildWebhookRequest, runFinishedPayload, type WebhookCredentials } from "./webhook-payload.ts";

interface Target {
  url: string;
  format: WebhookFormat;
  creds: WebhookCredentials;
  label: string;
}

/** The job columns a run's webhooks depend on. */
export type WebhookSettings = Pick<Job, "timezone" | "webhookUrl" | "webhookFormat" | "webhookWhen" | "webhookSecret">;

/** Job webhooks set to FAILURE fire for runs that went wrong; an operator's cancel is not one. */
const FAILED = new Set(["FAILURE", "ABANDONED"]);

async function targetsFor(runtime: Runtime, log: JobLog, settings: WebhookSettings | null | undefined, secrets: SecretMasker): Promise<{ targets: Target[]; zone: string; problems: string[] }> {
  const config = runtime.config;
  const targets: Target[] = [];
  const problems: string[] = [];
  const job =
    settings !== undefined
      ? settings
      : await runtime.prisma.job.findUnique({
          where: { id: log.jobId },
          select: { timezone: true, webhookUrl: true, webhookFormat: true, webhookWhen: true, webhookSecret: true },
        });
  // The global webhook is the default: a job with its own webhook replaces it (as the editor says,
  // "empty uses the global settings"), so an operator who routes a job elsewhere gets no duplicate.
  if (!job?.webhookUrl) {
    if (config.WEBHOOK_URL) {
      targets.push({ url: config.WEBHOOK_URL, format: "JSON", label: "global", creds: { bearerToken: config.WEBHOOK_TOKEN, signingSecret: config.WEBHOOK_SECRET } });
    }
  } else if (job.webhookWhen === "ALWAYS" || FAILED.has(log.status)) {
    let creds: WebhookCredentials = {};
    try {
      if (job.webhookSecret) {
        const s = runtime.fernet().decryptJson(job.webhookSecret);
        secrets.add(s);
        creds = {
          bearerToken: typeof s.bearer_token === "string" && s.bearer_token ? s.bearer_token : undefined,
          signingSecret: typeof s.signing_secret === "string" && s.signing_secret ? s.signing_secret : undefined,
        };
      }
      targets.push({ url: job.webhookUrl, format: job.webhookFormat, label: "job", creds });
    } catch (error) {
      problems.push(`job webhook ${displayUrl(job.webhookUrl)} not sent: its webhook secret cannot be decrypted (${(error as Error).message})`);
    }
  }
  return { targets, zone: job?.timezone ?? config.TIMEZONE, problems };
}

/**
 * Appends a line to a finished run's log (atomically, so concurrent notes cannot overwrite each
 * other) and streams it at the offset it landed at.
 */
export async function appendToRunLog(runtime: Runtime, log: JobLog, zone: string, level: string, text: string): Promise<void> {
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

/**
 * Notifies that a run ended: the job's own webhook (per its webhookWhen) when it has one, else the
 * global webhook (WEBHOOK_URL, every run) — never both.
 * A failed delivery never changes the run's status: it is noted in the run log and the process log.
 * `settings`: the job's webhook settings as the caller read them when the run started (a burst of
 * runs then costs no read each); omitted, they are read now.
 */
export async function notifyRunFinished(
  runtime: Runtime,
  log: JobLog,
  policy: DeliveryPolicy = DEFAULT_DELIVERY,
  settings?: WebhookSettings | null,
): Promise<void> {
  // The job's webhook credentials are masked in all process output while they are in use.
  const secrets = new SecretMasker();
  const release = trackSecrets(secrets);
  try {
    const span = startSpan("webhook", "internal", { "connecthub.job_id": log.jobId, "connecthub.log_id": log.id }, log.traceId);
    await traced(span, (spanId) => withTrace(log.traceId, () => deliverAll(runtime, log, policy, settings, secrets), spanId));
  } finally {
    release();
  }
}

async function deliverAll(runtime: Runtime, log: JobLog, policy: DeliveryPolicy, settings: WebhookSettings | null | undefined, secrets: SecretMasker): Promise<void> {
  const { targets, zone, problems } = await targetsFor(runtime, log, settings, secrets);
  const payload = runFinishedPayload(log);
  const results = await Promise.allSettled(
    targets.map((t) => deliverWebhook(t.url, t.format, buildWebhookRequest(t.format, payload, zone, t.creds), policy)),
  );
  recordWebhookOutcomes(results, problems.length);
  results.forEach((r, i) => {
    if (r.status === "rejected") problems.push(`${targets[i]!.label} ${(r.reason as Error).message} (the run's status is unaffected)`);
  });
  for (const problem of problems.map(maskLiveSecrets)) {
    logger().warn({ job_id: log.jobId, log_id: log.id }, problem);
    await appendToRunLog(runtime, log, zone, "WARN", problem).catch((err) => logger().warn({ err, log_id: log.id }, "could not note a webhook failure in the run log"));
  }
}

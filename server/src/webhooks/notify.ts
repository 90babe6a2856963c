import type { Job, JobLog } from "../generated/prisma/client.ts";
import type { WebhookFormat } from "../generated/prisma/enums.ts";
import { maskLiveSecrets, trackSecrets } from "../logging/live-secrets.ts";
import { logger } from "../logging/logger.ts";
import { SecretMasker } from "../logging/secret-masker.ts";
import type { Runtime } from "../runtime.ts";
import { Fernet } from "../security/fernet.ts";
import { recordWebhookOutcomes } from "../observability/record.ts";
import { withTrace } from "../observability/trace-context.ts";
import { startSpan, traced } from "../observability/tracing.ts";
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


async function targetsFor(runtime: Runtime, log: JobLog, failed: boolean, settings: WebhookSettings | null | undefined, secrets: SecretMasker): Promise<{ targets: Target[]; zone: string; problems: string[] }> {
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
  } else if (job.webhookWhen === "ALWAYS" || failed) {
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
 * Notifies that a run ended: the job's own webhook (per its webhookWhen) when it has one, else the
 * global webhook (WEBHOOK_URL, every run) — never both.
 * A failed delivery never changes the run's status: it is logged here and returned (secrets masked),
 * for the caller to note in the run log (runs/finalize.ts), with the zone the note is stamped in.
 * `failed`: the run went wrong (the caller's status groups say so: FAILURE, ABANDONED; an
 * operator's cancel is not one), so a job webhook set to FAILURE fires too.
 * `settings`: the job's webhook settings as the caller read them when the run started (a burst of
 * runs then costs no read each); omitted, they are read now.
 */
export async function notifyRunFinished(
  runtime: Runtime,
  log: JobLog,
  failed: boolean,
  policy: DeliveryPolicy = DEFAULT_DELIVERY,
  settings?: WebhookSettings | null,
): Promise<WebhookProblems> {
  // The job's webhook credentials are masked in all process output while they are in use.
  const secrets = new SecretMasker();
  const release = trackSecrets(secrets);
  try {
    const span = startSpan("webhook", "internal", { "connecthub.job_id": log.jobId, "connecthub.log_id": log.id }, log.traceId);
    return await traced(span, (spanId) => withTrace(log.traceId, () => deliverAll(runtime, log, failed, policy, settings, secrets), spanId));
  } finally {
    release();
  }
}

export interface WebhookProblems {
  /** What went wrong, one line each, secrets masked. */
  problems: string[];
  /** The job's zone (the server's when it has none). */
  zone: string;
}

async function deliverAll(runtime: Runtime, log: JobLog, failed: boolean, policy: DeliveryPolicy, settings: WebhookSettings | null | undefined, secrets: SecretMasker): Promise<WebhookProblems> {
  const { targets, zone, problems } = await targetsFor(runtime, log, failed, settings, secrets);
  const payload = runFinishedPayload(log);
  const results = await Promise.allSettled(
    targets.map((t) => deliverWebhook(t.url, t.format, buildWebhookRequest(t.format, payload, zone, t.creds), policy)),
  );
  recordWebhookOutcomes(results, problems.length);
  results.forEach((r, i) => {
    if (r.status === "rejected") problems.push(`${targets[i]!.label} ${(r.reason as Error).message} (the run's status is unaffected)`);
  });
  const masked = problems.map(maskLiveSecrets);
  for (const problem of masked) logger().warn({ job_id: log.jobId, log_id: log.id }, problem);
  return { problems: masked, zone };
}

import type { JobStatus, RunTrigger } from "../generated/prisma/enums.ts";
import { claimLatency, eventBusReconnects, firesSkipped, jobLabel, metricsEnabled, runDuration, runsFinished, runsPurged, scheduleLateness, webhookDeliveries } from "./metrics.ts";

// One-line hooks for the code that does the work: it calls these, never prom-client itself. With
// METRICS_ENABLED=false each returns at once.

const SCHEDULED: ReadonlySet<RunTrigger> = new Set(["CRON", "INTERVAL", "DATE"]);

/** A worker claimed a run and its handler starts at `startedAt`. */
export function recordRunStarted(run: { jobId: string; trigger: RunTrigger; createdAt: Date; scheduledAt: Date | null }, startedAt: Date): void {
  if (!metricsEnabled()) return;
  const due = Math.max(run.createdAt.getTime(), run.scheduledAt?.getTime() ?? 0);
  claimLatency.observe(Math.max(0, startedAt.getTime() - due) / 1000);
  // Lateness is the scheduler's promise; catch-ups, manual runs and retries make none.
  if (SCHEDULED.has(run.trigger) && run.scheduledAt) {
    scheduleLateness.observe({ job: jobLabel(run.jobId) }, (startedAt.getTime() - run.scheduledAt.getTime()) / 1000);
  }
}

export function recordRunFinished(run: { jobId: string; trigger: RunTrigger }, status: JobStatus, seconds: number): void {
  if (!metricsEnabled()) return;
  const job = jobLabel(run.jobId);
  runsFinished.inc({ job, status, trigger: run.trigger });
  runDuration.observe({ job }, seconds);
}

export function recordFiresSkipped(reason: "misfire" | "overlap", count = 1): void {
  if (count > 0 && metricsEnabled()) firesSkipped.inc({ reason }, count);
}

export function recordWebhookDelivery(outcome: "delivered" | "failed" | "not_sent", count = 1): void {
  if (count > 0 && metricsEnabled()) webhookDeliveries.inc({ outcome }, count);
}

/** Called by the event bus each time its LISTEN connection is re-established. */
export function countEventBusReconnect(): void {
  if (metricsEnabled()) eventBusReconnects.inc();
}

/** Finished runs the retention policy deleted, by rule. */
export function recordRunsPurged(reason: "age" | "keep_last", count: number): void {
  if (count > 0 && metricsEnabled()) runsPurged.inc({ reason }, count);
}

/** A finished run's webhook results (`notSent`: targets skipped, e.g. an undecryptable secret). */
export function recordWebhookOutcomes(results: readonly PromiseSettledResult<unknown>[], notSent: number): void {
  recordWebhookDelivery("delivered", results.filter((r) => r.status === "fulfilled").length);
  recordWebhookDelivery("failed", results.filter((r) => r.status === "rejected").length);
  recordWebhookDelivery("not_sent", notSent);
}

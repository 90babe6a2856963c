import { enqueueRun, requestCancel } from "../../runs/index.ts";
import { audited, auditedWith } from "../audited.ts";
import { builder } from "../builder.ts";
import { ActionRefusedError, NotFoundError } from "../errors.ts";
import { JobLogRef } from "./job-log.ts";

/** The execution engine's typed errors, as the union members clients match on. */
function asApiError(error: unknown): never {
  const code = (error as { code?: string })?.code;
  const message = (error as Error)?.message ?? "";
  if (code === "JOB_NOT_FOUND") throw new NotFoundError("Job", (error as { jobId: string }).jobId);
  if (code === "RUN_NOT_FOUND") throw new NotFoundError("JobLog", (error as { logId: number }).logId);
  const params = (error as { params?: Record<string, string | number> })?.params;
  if (code === "RETRY_REFUSED" || code === "RUN_NOT_CANCELLABLE" || code === "SNAPSHOT_INVALID") throw new ActionRefusedError(code, message, params);
  throw error;
}

const OPERATOR = { operator: true } as const;

builder.mutationFields((t) => ({
  runNow: t.field({
    type: JobLogRef,
    authScopes: OPERATOR,
    description: "Queues a run of the job's current definition now (trigger MANUAL); returns its QUEUED log.",
    errors: { types: [NotFoundError] },
    args: { jobId: t.arg.string({ required: true }) },
    resolve: (_root, { jobId }, ctx) =>
      // The SUCCESS row (detail { logId }, the run's trace id) is written in the run's own statement.
      auditedWith(ctx, { action: "run.now", target: { type: "Job", id: jobId } }, (audit) =>
        enqueueRun(ctx.runtime, { kind: "job", jobId, trigger: "MANUAL" }, { audit }).catch(asApiError),
      ),
  }),
  retryLog: t.field({
    type: JobLogRef,
    authScopes: OPERATOR,
    description: "Runs a finished run again with the snapshot it ran with (trigger RETRY). Refused while it is QUEUED or RUNNING.",
    errors: { types: [NotFoundError, ActionRefusedError] },
    args: { logId: t.arg.int({ required: true }) },
    resolve: (_root, { logId }, ctx) =>
      audited(ctx, { action: "run.retry", target: { type: "JobLog", id: logId }, detail: (log) => ({ jobId: log.jobId, newLogId: log.id }), traceId: (log) => log.traceId }, () =>
        enqueueRun(ctx.runtime, { kind: "retry", logId }).catch(asApiError),
      ),
  }),
  cancelRun: t.field({
    type: JobLogRef,
    authScopes: OPERATOR,
    description: "Cancels a QUEUED run at once, or asks the worker running it to abort. Refused (CANCEL_ALREADY_REQUESTED) when that was already asked.",
    errors: { types: [NotFoundError, ActionRefusedError] },
    args: { logId: t.arg.int({ required: true }) },
    resolve: async (_root, { logId }, ctx) => {
      // Asking twice would only move cancelRequestedAt; say the first request is still in force.
      const log = await ctx.runtime.prisma.jobLog.findUnique({ where: { id: logId }, select: { status: true, cancelRequestedAt: true } });
      if (log?.cancelRequestedAt && (log.status === "RUNNING" || log.status === "QUEUED")) {
        throw new ActionRefusedError("CANCEL_ALREADY_REQUESTED", `Cancelling run ${logId} was already requested at ${log.cancelRequestedAt.toISOString()}; the worker stops it at its next check.`, {
          logId,
          at: log.cancelRequestedAt.toISOString(),
        });
      }
      return audited(ctx, { action: "run.cancel", target: { type: "JobLog", id: logId }, detail: (log) => ({ jobId: log.jobId, status: log.status }), traceId: (log) => log.traceId }, () =>
        requestCancel(ctx.runtime, logId).catch(asApiError),
      );
    },
  }),
}));

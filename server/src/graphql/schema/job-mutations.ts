import { jobCreated, jobDiff } from "../../audit/index.ts";
import { audited } from "../audited.ts";
import { builder } from "../builder.ts";
import { ActionRefusedError, NotFoundError, ValidationError } from "../errors.ts";
import { createJob, deleteJob, purgeLogs, setJobEnabled, updateJob } from "../job-service.ts";
import { CreateJobInput, UpdateJobInput } from "./job-inputs.ts";
import { JobRef } from "./job.ts";
import { applySecretUpdates } from "../secret-updates.ts";

const DeleteJobPayload = builder.objectRef<{ jobId: string; deletedLogs: number }>("DeleteJobPayload").implement({
  fields: (t) => ({ jobId: t.exposeString("jobId"), deletedLogs: t.exposeInt("deletedLogs") }),
});

const PurgeLogsPayload = builder.objectRef<{ jobId: string; deleted: number; keptActive: number }>("PurgeLogsPayload").implement({
  fields: (t) => ({
    jobId: t.exposeString("jobId"),
    deleted: t.exposeInt("deleted", { description: "How many logs were deleted." }),
    keptActive: t.exposeInt("keptActive", { description: "QUEUED/RUNNING logs in the range, which are never purged." }),
  }),
});

const ADMIN = { admin: true } as const;

builder.mutationFields((t) => ({
  createJob: t.field({
    type: JobRef,
    authScopes: ADMIN,
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreateJobInput, required: true }) },
    // `input` is the job rules' verdict (job-input/input-rules.ts); `sent` what they were given.
    resolve: (_root, { input }, ctx) => {
      const sent = input.ok ? input.value : input.input;
      return audited(ctx, { action: "job.create", target: { type: "Job", id: String(sent.id ?? "") }, detail: (job) => jobCreated(job, sent) }, () => createJob(ctx.runtime, input));
    },
  }),
  updateJob: t.field({
    type: JobRef,
    authScopes: ADMIN,
    errors: { types: [ValidationError, NotFoundError] },
    args: { id: t.arg.string({ required: true }), input: t.arg({ type: UpdateJobInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const before = await ctx.runtime.prisma.job.findUnique({ where: { id } });
      // Per-key secret changes become a whole new secretCfg here; the rest of the path is unchanged.
      const { secretCfgUpdates, ...patch } = input.patch;
      const sent = secretCfgUpdates == null || !before ? { ...input, patch } : { ...input, patch: { ...patch, secretCfg: applySecretUpdates(ctx.runtime, before.secretCfg, patch, secretCfgUpdates) } };
      return audited(ctx, { action: "job.update", target: { type: "Job", id }, detail: (job) => (before ? jobDiff(before, job, sent.patch) : null) }, () => updateJob(ctx.runtime, id, sent));
    },
  }),
  deleteJob: t.field({
    type: DeleteJobPayload,
    authScopes: ADMIN,
    description: "Deletes the job and its logs. Refused while one of its runs is QUEUED or RUNNING.",
    errors: { types: [NotFoundError, ActionRefusedError] },
    args: { id: t.arg.string({ required: true }) },
    resolve: (_root, { id }, ctx) => audited(ctx, { action: "job.delete", target: { type: "Job", id }, detail: (r) => ({ deletedLogs: r.deletedLogs }) }, () => deleteJob(ctx.runtime, id)),
  }),
  enableJob: t.field({
    type: JobRef,
    authScopes: ADMIN,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.string({ required: true }) },
    resolve: (_root, { id }, ctx) => audited(ctx, { action: "job.enable", target: { type: "Job", id } }, () => setJobEnabled(ctx.runtime, id, true)),
  }),
  disableJob: t.field({
    type: JobRef,
    authScopes: ADMIN,
    description: "Stops scheduling the job; its logs are kept.",
    errors: { types: [NotFoundError] },
    args: { id: t.arg.string({ required: true }) },
    resolve: (_root, { id }, ctx) => audited(ctx, { action: "job.disable", target: { type: "Job", id } }, () => setJobEnabled(ctx.runtime, id, false)),
  }),
  purgeLogs: t.field({
    type: PurgeLogsPayload,
    authScopes: ADMIN,
    description: "Deletes one job's finished logs, optionally only those created before `olderThan`. QUEUED/RUNNING logs are kept.",
    errors: { types: [NotFoundError] },
    args: { jobId: t.arg.string({ required: true }), olderThan: t.arg({ type: "DateTime", required: false }) },
    resolve: (_root, { jobId, olderThan }, ctx) =>
      audited(
        ctx,
        { action: "job.purge_logs", target: { type: "Job", id: jobId }, detail: (r) => ({ olderThan: olderThan?.toISOString() ?? null, deleted: r.deleted, keptActive: r.keptActive }) },
        () => purgeLogs(ctx.runtime, jobId, olderThan),
      ),
  }),
}));

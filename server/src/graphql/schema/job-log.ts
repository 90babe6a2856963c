import type { Prisma } from "../../generated/prisma/client.ts";
import { JobStatus, RunTrigger } from "../../generated/prisma/enums.ts";
import { builder } from "../builder.ts";
import { redactSnapshot } from "../secret-view.ts";
import { JobStatusEnum, RunTriggerEnum } from "./enums.ts";

export const JobLogRef = builder.prismaObject("JobLog", {
  description: "One execution of a job. Heavy columns (runLog, snapshotParams, traceback, result) load only when asked for.",
  select: { id: true, jobId: true },
  fields: (t) => ({
    id: t.exposeInt("id"),
    jobId: t.exposeString("jobId"),
    job: t.relation("job"),
    status: t.expose("status", { type: JobStatusEnum }),
    trigger: t.expose("trigger", { type: RunTriggerEnum }),
    snapshotParams: t.field({
      type: "JSON",
      description: "What the run started with (handler, public config, meta); the secret config is never included.",
      select: { snapshotParams: true },
      resolve: (log) => redactSnapshot(log.snapshotParams),
    }),
    message: t.exposeString("message", { nullable: true, description: "What happened, in English (with a summary of the warnings and errors the run logged)." }),
    messageCode: t.exposeString("messageCode", {
      nullable: true,
      description:
        "Stable code of the message's outcome (RUN_SUCCEEDED, RUN_FAILED, RUN_CANCELLED, RUN_TIMED_OUT, RUN_WITHDRAWN, RUN_ABANDONED, …), for clients that show it in their own words; null for runs from before codes.",
    }),
    messageParams: t.expose("messageParams", {
      type: "JSON",
      nullable: true,
      description: "Parameters of messageCode (e.g. `seconds`, `reason`, `error`); `summaryAt`: where the warnings summary starts in `message`.",
    }),
    traceback: t.exposeString("traceback", { nullable: true }),
    runLog: t.exposeString("runLog", { description: "Captured log lines, as flushed so far (at most every second while running)." }),
    runLogBytes: t.exposeInt("runLogBytes", { description: "UTF-8 byte length of runLog: the offset to resume a jobLogUpdated subscription from." }),
    result: t.expose("result", { type: "JSON", nullable: true }),
    attempt: t.exposeInt("attempt"),
    retryOf: t.relation("retryOf", { nullable: true }),
    retries: t.relation("retries", { query: { orderBy: { id: "asc" } } }),
    scheduledAt: t.expose("scheduledAt", { type: "DateTime", nullable: true }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
    heartbeatAt: t.expose("heartbeatAt", { type: "DateTime", nullable: true }),
    workerId: t.exposeString("workerId", { nullable: true }),
    cancelRequestedAt: t.expose("cancelRequestedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    traceId: t.exposeString("traceId", {
      nullable: true,
      description: "The run's W3C trace id (32 hex digits): in its log lines' context, its webhooks and the traceparent of its outbound HTTP calls.",
    }),
    durationMs: t.int({
      nullable: true,
      select: { startedAt: true, finishedAt: true },
      resolve: (log) => (log.startedAt && log.finishedAt ? log.finishedAt.getTime() - log.startedAt.getTime() : null),
    }),
  }),
});

const JobLogFilter = builder.inputType("JobLogFilter", {
  fields: (t) => ({
    jobId: t.string({ required: false }),
    status: t.field({ type: [JobStatusEnum], required: false, description: "Any of these statuses." }),
    trigger: t.field({ type: [RunTriggerEnum], required: false, description: "Any of these triggers." }),
    createdFrom: t.field({ type: "DateTime", required: false, description: "Created at or after this instant." }),
    createdBefore: t.field({ type: "DateTime", required: false, description: "Created before this instant." }),
  }),
});

type LogFilter = typeof JobLogFilter.$inferInput;

/** Slot or creation time (the `sort_at` column a trigger keeps), then id: a late catch-up sorts by its slot. */
export const RUNS_NEWEST_FIRST: Prisma.JobLogOrderByWithRelationInput[] = [{ sortAt: "desc" }, { id: "desc" }];

function logWhere(filter: LogFilter | null | undefined): Prisma.JobLogWhereInput {
  if (!filter) return {};
  return {
    ...(filter.jobId ? { jobId: filter.jobId } : {}),
    ...(filter.status?.length ? { status: { in: filter.status as JobStatus[] } } : {}),
    ...(filter.trigger?.length ? { trigger: { in: filter.trigger as RunTrigger[] } } : {}),
    ...(filter.createdFrom || filter.createdBefore
      ? { createdAt: { ...(filter.createdFrom ? { gte: filter.createdFrom } : {}), ...(filter.createdBefore ? { lt: filter.createdBefore } : {}) } }
      : {}),
  };
}

builder.queryFields((t) => ({
  jobLogs: t.prismaConnection({
    type: "JobLog",
    cursor: "id",
    description: "Runs, newest first by the time that matters: a scheduled run's slot, else its creation (COALESCE(scheduledAt, createdAt) desc, then id desc).",
    args: { filter: t.arg({ type: JobLogFilter, required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.runtime.prisma.jobLog.findMany({ ...query, where: logWhere(args.filter), orderBy: RUNS_NEWEST_FIRST }),
    totalCount: (_conn, args, ctx) => ctx.runtime.prisma.jobLog.count({ where: logWhere(args.filter) }),
  }, { name: "JobLogConnection" }, { name: "JobLogEdge" }),
  jobLog: t.prismaField({
    type: "JobLog",
    nullable: true,
    args: { id: t.arg.int({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.runtime.prisma.jobLog.findUnique({ ...query, where: { id: args.id } }),
  }),
}));

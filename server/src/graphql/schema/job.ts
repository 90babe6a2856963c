import type { Prisma } from "../../generated/prisma/client.ts";
import { resolveTimeZone } from "../../triggers/index.ts";
import { countInRange } from "../arg-checks.ts";
import { builder } from "../builder.ts";
import { loaderFor } from "../loaders.ts";
import { nextFires } from "../next-fires.ts";
import { secretKeyNames } from "../secret-view.ts";
import { SortDirectionEnum, TriggerTypeEnum, WebhookFormatEnum, WebhookWhenEnum } from "./enums.ts";
import { JobLogRef, RUNS_NEWEST_FIRST } from "./job-log.ts";

/** Columns of a JobLog light enough to load for every row of a job list. */
const LIGHT_LOG = { id: true, jobId: true, status: true, trigger: true, createdAt: true, startedAt: true, finishedAt: true, message: true, messageCode: true, messageParams: true, attempt: true } as const;

export const JobRef = builder.prismaObject("Job", {
  description: "A job definition. Its secret config is write-only: only whether it exists and its key names are readable.",
  fields: (t) => ({
    id: t.exposeString("id"),
    description: t.exposeString("description", { nullable: true }),
    enabled: t.exposeBoolean("enabled"),
    triggerType: t.expose("triggerType", { type: TriggerTypeEnum }),
    cronExpr: t.exposeString("cronExpr", { nullable: true }),
    intervalSeconds: t.exposeInt("intervalSeconds", { nullable: true }),
    startAt: t.expose("startAt", { type: "DateTime", nullable: true, description: "DATE: the instant to run at; INTERVAL: the anchor slots count from." }),
    timezone: t.exposeString("timezone", { nullable: true, description: "The job's own IANA zone; null means the server's TIMEZONE." }),
    effectiveTimezone: t.string({
      resolve: (job, _args, ctx) => {
        try {
          return resolveTimeZone(job.timezone, ctx.runtime.config.TIMEZONE);
        } catch {
          return ctx.runtime.config.TIMEZONE;
        }
      },
    }),
    handlerPath: t.exposeString("handlerPath"),
    publicCfg: t.expose("publicCfg", { type: "JSON" }),
    hasSecrets: t.boolean({ resolve: (job) => job.secretCfg !== null }),
    secretKeys: t.stringList({
      description: "Names of the keys in the secret config (decrypted in memory; values are never returned).",
      resolve: (job, _args, ctx) => secretKeyNames(job.secretCfg, ctx.runtime.fernet).keys,
    }),
    secretProblem: t.string({
      nullable: true,
      description: "Why the stored secret config cannot be decrypted with the current key, if it cannot.",
      resolve: (job, _args, ctx) => secretKeyNames(job.secretCfg, ctx.runtime.fernet).problem,
    }),
    lastRunAt: t.expose("lastRunAt", { type: "DateTime", nullable: true, description: "The slot of the newest scheduled run (CRON, INTERVAL, DATE or CATCHUP) that started. Manual runs and retries do not move it; see lastRun for the newest run of any kind." }),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true }),
    timeoutSeconds: t.exposeInt("timeoutSeconds", { nullable: true }),
    allowOverlap: t.exposeBoolean("allowOverlap"),
    misfireGraceSeconds: t.exposeInt("misfireGraceSeconds"),
    keepLastRuns: t.exposeInt("keepLastRuns", { nullable: true, description: "Only this many newest finished runs are kept; null: by age only (RUN_RETENTION_DAYS)." }),
    webhookUrl: t.exposeString("webhookUrl", { nullable: true }),
    webhookFormat: t.expose("webhookFormat", { type: WebhookFormatEnum }),
    webhookWhen: t.expose("webhookWhen", { type: WebhookWhenEnum }),
    hasWebhookSecret: t.boolean({ resolve: (job) => job.webhookSecret !== null }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    lastRun: t.field({
      type: JobLogRef,
      nullable: true,
      description: "The newest run of this job that started (its status and times); planned and never-started runs do not count.",
      resolve: (job, _args, ctx) =>
        loaderFor(ctx, "lastRun", async (jobIds: readonly string[]) => {
          // One LATERAL query for the page: the (job_id, id DESC) index gives each job's newest started run.
          const rows = await ctx.runtime.prisma.$queryRaw<Array<{ id: number }>>`
            SELECT l.id FROM unnest(${[...jobIds]}::text[]) AS j(id)
            CROSS JOIN LATERAL (SELECT id FROM job_logs WHERE job_id = j.id AND started_at IS NOT NULL ORDER BY id DESC LIMIT 1) l`;
          const logs = await ctx.runtime.prisma.jobLog.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: LIGHT_LOG });
          return new Map(logs.map((l) => [l.jobId, l]));
        })
          .load(job.id)
          .then((log) => log ?? null) as never,
    }),
    nextFireTimes: t.field({
      type: ["DateTime"],
      args: { count: t.arg.int({ defaultValue: 3, description: "How many (1–50)." }) },
      description: "The next instants this job fires (empty when disabled or done).",
      resolve: (job, args, ctx) => nextFires(job, countInRange("count", args.count, 3, 1, 50), ctx.runtime.config.TIMEZONE),
    }),
    logs: t.relatedConnection("logs", { cursor: "id", query: { orderBy: RUNS_NEWEST_FIRST }, totalCount: true, description: "This job's runs, newest first by slot or creation time (as jobLogs)." }),
  }),
});

const JobSortField = builder.enumType("JobSortField", { values: ["ID", "CREATED_AT", "UPDATED_AT", "LAST_RUN_AT"] as const });

const JobFilter = builder.inputType("JobFilter", {
  fields: (t) => ({
    enabled: t.boolean({ required: false }),
    handlerPath: t.string({ required: false }),
    text: t.string({ required: false, description: "Case-insensitive match in id, description or handlerPath." }),
  }),
});

const JobSort = builder.inputType("JobSort", {
  fields: (t) => ({
    field: t.field({ type: JobSortField, defaultValue: "ID" }),
    direction: t.field({ type: SortDirectionEnum, defaultValue: "ASC" }),
  }),
});

function jobWhere(filter: typeof JobFilter.$inferInput | null | undefined): Prisma.JobWhereInput {
  const text = filter?.text?.trim();
  return {
    ...(typeof filter?.enabled === "boolean" ? { enabled: filter.enabled } : {}),
    ...(filter?.handlerPath ? { handlerPath: filter.handlerPath } : {}),
    ...(text
      ? { OR: [{ id: { contains: text, mode: "insensitive" } }, { description: { contains: text, mode: "insensitive" } }, { handlerPath: { contains: text, mode: "insensitive" } }] }
      : {}),
  };
}

function jobOrder(sort: typeof JobSort.$inferInput | null | undefined): Prisma.JobOrderByWithRelationInput[] {
  const dir = sort?.direction === "DESC" ? "desc" : "asc";
  const column = { ID: "id", CREATED_AT: "createdAt", UPDATED_AT: "updatedAt", LAST_RUN_AT: "lastRunAt" }[sort?.field ?? "ID"] as "id";
  return column === "id" ? [{ id: dir }] : [{ [column]: { sort: dir, nulls: "last" } }, { id: dir }];
}

builder.queryFields((t) => ({
  jobs: t.prismaConnection({
    type: "Job",
    cursor: "id",
    args: { filter: t.arg({ type: JobFilter, required: false }), sort: t.arg({ type: JobSort, required: false }) },
    resolve: (query, _root, args, ctx) => ctx.runtime.prisma.job.findMany({ ...query, where: jobWhere(args.filter), orderBy: jobOrder(args.sort) }),
    totalCount: (_conn, args, ctx) => ctx.runtime.prisma.job.count({ where: jobWhere(args.filter) }),
  }, { name: "JobConnection" }, { name: "JobEdge" }),
  job: t.prismaField({
    type: "Job",
    nullable: true,
    args: { id: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.runtime.prisma.job.findUnique({ ...query, where: { id: args.id } }),
  }),
}));

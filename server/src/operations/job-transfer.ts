/**
 * Job definitions as a JSON document, to move them between installations. Secrets travel as the
 * Fernet tokens they are stored as — never decrypted — so the file is as safe as the database,
 * and the target needs the same key file to use them.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import type { Prisma } from "../db/prisma.ts";
import type { Prisma as PrismaNs } from "../generated/prisma/client.ts";
import { TriggerType, WebhookFormat, WebhookWhen } from "../generated/prisma/enums.ts";
import { fieldErrorsOf, ValidationError } from "../graphql/errors.ts";
import { definitionForCreate, withIntervalAnchor } from "../graphql/job-input/job-columns.ts";
import { storableJobDefinition, type JobDefinition } from "../graphql/job-input/job-rules.ts";
import { ArchiveFormatError, DuplicateJobsError, InvalidJobsError, UndecryptableSecretsError } from "./operation-errors.ts";
import { undecryptableJobIds } from "./secret-check.ts";

export const JOBS_FORMAT = "connecthub-jobs";
export const JOBS_VERSION = 1;

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const enumOf = <T extends Record<string, string>>(e: T) => z.enum(Object.values(e) as [T[keyof T], ...T[keyof T][]]);

/**
 * One exported job: every definition field; run-time bookkeeping (lastRunAt, completedAt) included.
 * Only the types are checked here: whether it is a job the API would accept is for the job rules
 * (storableJobDefinition), so the file hears the API's own field errors.
 */
const exportedJob = z.object({
  id: z.string(),
  description: z.string().nullable().optional(),
  enabled: z.boolean().optional(),
  triggerType: enumOf(TriggerType).optional(),
  cronExpr: z.string().nullable().optional(),
  intervalSeconds: z.number().nullable().optional(),
  startAt: isoDate.nullable().optional(),
  timezone: z.string().nullable().optional(),
  handlerPath: z.string().optional(),
  publicCfg: z.unknown().optional(),
  secretCfg: z.string().nullable().optional(),
  lastRunAt: isoDate.nullable().optional(),
  completedAt: isoDate.nullable().optional(),
  timeoutSeconds: z.number().nullable().optional(),
  allowOverlap: z.boolean().optional(),
  misfireGraceSeconds: z.number().optional(),
  keepLastRuns: z.number().nullable().optional(),
  webhookUrl: z.string().nullable().optional(),
  webhookFormat: enumOf(WebhookFormat).optional(),
  webhookWhen: enumOf(WebhookWhen).optional(),
  webhookSecret: z.string().nullable().optional(),
  createdAt: isoDate.optional(),
});

const jobsDocument = z.object({
  format: z.literal(JOBS_FORMAT),
  version: z.literal(JOBS_VERSION),
  exportedAt: z.string(),
  jobs: z.array(exportedJob),
});

export type ExportedJob = z.infer<typeof exportedJob>;

export async function exportJobs(prisma: Prisma): Promise<{ format: string; version: number; exportedAt: string; jobs: unknown[] }> {
  const jobs = await prisma.job.findMany({ orderBy: { id: "asc" } });
  return {
    format: JOBS_FORMAT,
    version: JOBS_VERSION,
    exportedAt: new Date().toISOString(),
    jobs: jobs.map(({ updatedAt: _updatedAt, ...job }) => job),
  };
}

export async function readJobsFile(file: string): Promise<ExportedJob[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new ArchiveFormatError(file, `it is not a JSON file (${(error as Error).message})`);
  }
  const parsed = jobsDocument.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ArchiveFormatError(file, `${issue.path.join(".") || "document"}: ${issue.message} (expected a \`connecthub jobs export\` file)`);
  }
  const seen = new Set<string>();
  for (const job of parsed.data.jobs) {
    if (seen.has(job.id)) throw new ArchiveFormatError(file, `job id "${job.id}" appears twice`);
    seen.add(job.id);
  }
  return parsed.data.jobs;
}

export interface ImportResult {
  created: string[];
  replaced: string[];
}

/**
 * A file's job through the API's rules, as createJob would see it: the definition to store, or the
 * ValidationError createJob would answer. Its secrets are Fernet tokens, left unchecked here
 * (undecryptableJobIds checks that they decrypt).
 */
async function checkDefinition(job: ExportedJob): Promise<JobDefinition | ValidationError> {
  const { secretCfg: _s, webhookSecret: _w, ...plain } = job;
  const parsed = await storableJobDefinition.safeParseAsync({ ...definitionForCreate(plain), secretCfg: undefined, webhookSecret: undefined });
  return parsed.success ? parsed.data : new ValidationError(fieldErrorsOf(parsed.error.issues));
}

/**
 * Imports in one transaction. Refuses, writing nothing, when a definition is one the API would
 * refuse (the same job rules, the same ValidationError), when any secret token does not decrypt
 * with `key`, or when ids exist already and `replace` is false. What is written is the definition
 * as the rules output it (text trimmed, blanks as none), as the API would store it.
 */
export async function importJobs(prisma: Prisma, jobs: ExportedJob[], key: string | null, keyPath: string, replace: boolean): Promise<ImportResult> {
  const refused = new Map<string, ValidationError>();
  const definitions = new Map<ExportedJob, JobDefinition>();
  for (const job of jobs) {
    const checked = await checkDefinition(job);
    if (checked instanceof ValidationError) refused.set(job.id, checked);
    else definitions.set(job, checked);
  }
  if (refused.size) throw new InvalidJobsError(refused);
  const undecryptable = undecryptableJobIds(jobs, key);
  if (undecryptable.length) throw new UndecryptableSecretsError(undecryptable, keyPath);
  return prisma.$transaction(async (tx) => {
    const existing = new Set(
      (await tx.job.findMany({ where: { id: { in: jobs.map((j) => j.id) } }, select: { id: true } })).map((j) => j.id),
    );
    if (existing.size && !replace) throw new DuplicateJobsError([...existing].sort());
    const result: ImportResult = { created: [], replaced: [] };
    for (const job of jobs) {
      const { publicCfg, secretCfg: _s, webhookSecret: _w, ...columns } = definitions.get(job)!;
      // An INTERVAL definition without an anchor counts from its import, as from a save in the API.
      const data = {
        ...withIntervalAnchor(columns, new Date()),
        publicCfg: publicCfg as PrismaNs.InputJsonObject,
        secretCfg: job.secretCfg ?? null,
        webhookSecret: job.webhookSecret ?? null,
        ...(job.lastRunAt !== undefined ? { lastRunAt: job.lastRunAt } : {}),
        ...(job.completedAt !== undefined ? { completedAt: job.completedAt } : {}),
      };
      if (existing.has(job.id)) {
        await tx.job.update({ where: { id: job.id }, data });
        result.replaced.push(job.id);
      } else {
        await tx.job.create({ data: { ...data, ...(job.createdAt ? { createdAt: job.createdAt } : {}) } });
        result.created.push(job.id);
      }
    }
    return result;
  });
}

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
import { definitionErrors } from "../graphql/job-input/validate-job.ts";
import { ArchiveFormatError, DuplicateJobsError, InvalidJobsError, UndecryptableSecretsError } from "./operation-errors.ts";
import { undecryptableJobIds } from "./secret-check.ts";

export const JOBS_FORMAT = "connecthub-jobs";
export const JOBS_VERSION = 1;

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const enumOf = <T extends Record<string, string>>(e: T) => z.enum(Object.values(e) as [T[keyof T], ...T[keyof T][]]);

/** One exported job: every definition field; run-time bookkeeping (lastRunAt, completedAt) included. */
const exportedJob = z.object({
  id: z.string().min(1),
  description: z.string().nullable().optional(),
  enabled: z.boolean().default(true),
  triggerType: enumOf(TriggerType).default("CRON"),
  cronExpr: z.string().nullable().optional(),
  intervalSeconds: z.number().int().positive().nullable().optional(),
  startAt: isoDate.nullable().optional(),
  timezone: z.string().nullable().optional(),
  handlerPath: z.string().min(1),
  publicCfg: z.record(z.string(), z.unknown()).default({}),
  secretCfg: z.string().nullable().optional(),
  lastRunAt: isoDate.nullable().optional(),
  completedAt: isoDate.nullable().optional(),
  timeoutSeconds: z.number().int().positive().nullable().optional(),
  allowOverlap: z.boolean().optional(),
  misfireGraceSeconds: z.number().int().nonnegative().optional(),
  keepLastRuns: z.number().int().positive().nullable().optional(),
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
 * Imports in one transaction. Refuses, writing nothing, when a definition is one the API would
 * refuse (the file's own schema above only checks its shape), when any secret token does not
 * decrypt with `key`, or when ids exist already and `replace` is false.
 */
export async function importJobs(prisma: Prisma, jobs: ExportedJob[], key: string | null, keyPath: string, replace: boolean, serverZone: string): Promise<ImportResult> {
  const problems = [];
  for (const job of jobs) {
    for (const e of await definitionErrors(job, serverZone)) problems.push({ jobId: job.id, field: e.field, message: e.message });
  }
  if (problems.length) throw new InvalidJobsError(problems);
  const undecryptable = undecryptableJobIds(jobs, key);
  if (undecryptable.length) throw new UndecryptableSecretsError(undecryptable, keyPath);
  return prisma.$transaction(async (tx) => {
    const existing = new Set(
      (await tx.job.findMany({ where: { id: { in: jobs.map((j) => j.id) } }, select: { id: true } })).map((j) => j.id),
    );
    if (existing.size && !replace) throw new DuplicateJobsError([...existing].sort());
    const result: ImportResult = { created: [], replaced: [] };
    for (const job of jobs) {
      // An INTERVAL definition without an anchor counts from its import, as from a save in the API.
      const data = { ...job, publicCfg: job.publicCfg as PrismaNs.InputJsonObject, ...(job.triggerType === "INTERVAL" && !job.startAt ? { startAt: new Date() } : {}) };
      if (existing.has(job.id)) {
        const { id, createdAt: _createdAt, ...update } = data;
        await tx.job.update({ where: { id }, data: update });
        result.replaced.push(job.id);
      } else {
        await tx.job.create({ data });
        result.created.push(job.id);
      }
    }
    return result;
  });
}

import type { JobStatus } from "../../generated/prisma/enums.ts";
import type { Prisma } from "../../db/prisma.ts";
import type { WindowSpan } from "./window.ts";

export interface StatusCount {
  status: JobStatus;
  count: number;
}

export interface RunBucket {
  start: Date;
  counts: StatusCount[];
}

export interface JobRunStats {
  jobId: string;
  /** Runs created in the window, whatever their status. */
  runs: number;
  succeeded: number;
  /** FAILURE and ABANDONED (its worker died). */
  failed: number;
  /** failed / (succeeded + failed); null when none of its runs has an outcome yet. */
  failureRate: number | null;
  /** 95th percentile (interpolated) of started → finished over succeeded and failed runs, in ms. */
  p95DurationMs: number | null;
  avgDurationMs: number | null;
  maxDurationMs: number | null;
}

/**
 * Runs per bucket and status: one scan of the window through the created_at index. Buckets are
 * truncated in the server's zone so a "day" is the operator's day.
 */
export async function runBuckets(prisma: Prisma, span: WindowSpan, zone: string): Promise<RunBucket[]> {
  const rows = await prisma.$queryRaw<Array<{ bucket: Date; status: JobStatus; n: number }>>`
    SELECT date_trunc(${span.unit}, created_at, ${zone}) AS bucket, status, count(*)::int AS n
    FROM job_logs
    WHERE created_at >= ${span.since} AND created_at <= ${span.until}
    GROUP BY 1, 2`;
  const byStart = new Map(span.bucketStarts.map((start) => [start.getTime(), { start, counts: [] as StatusCount[] }]));
  for (const row of rows) byStart.get(row.bucket.getTime())?.counts.push({ status: row.status, count: row.n });
  return [...byStart.values()];
}

/** Totals per status over the buckets (the same scan, summed). */
export function statusTotals(buckets: readonly RunBucket[]): StatusCount[] {
  const totals = new Map<JobStatus, number>();
  for (const bucket of buckets) for (const c of bucket.counts) totals.set(c.status, (totals.get(c.status) ?? 0) + c.count);
  return [...totals].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count);
}

/** Per-job outcome and duration figures for the runs created in the window: one grouped scan. */
export async function jobRunStats(prisma: Prisma, span: WindowSpan): Promise<JobRunStats[]> {
  const rows = await prisma.$queryRaw<
    Array<{ job_id: string; runs: number; succeeded: number; failed: number; p95: number | null; avg: number | null; max: number | null }>
  >`
    WITH w AS (
      SELECT job_id, status,
        CASE WHEN status IN ('SUCCESS', 'FAILURE') AND started_at IS NOT NULL AND finished_at IS NOT NULL
          THEN extract(epoch FROM finished_at - started_at) * 1000 END AS ms
      FROM job_logs
      WHERE created_at >= ${span.since} AND created_at <= ${span.until}
    )
    SELECT job_id,
      count(*)::int AS runs,
      count(*) FILTER (WHERE status = 'SUCCESS')::int AS succeeded,
      count(*) FILTER (WHERE status IN ('FAILURE', 'ABANDONED'))::int AS failed,
      round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms))::float8 AS p95,
      round(avg(ms))::float8 AS avg,
      round(max(ms))::float8 AS max
    FROM w
    GROUP BY job_id
    ORDER BY job_id`;
  return rows.map((r) => ({
    jobId: r.job_id,
    runs: r.runs,
    succeeded: r.succeeded,
    failed: r.failed,
    failureRate: r.succeeded + r.failed > 0 ? r.failed / (r.succeeded + r.failed) : null,
    p95DurationMs: r.p95,
    avgDurationMs: r.avg,
    maxDurationMs: r.max,
  }));
}

/** The jobs with the highest p95 duration, slowest first. */
export function slowest(stats: readonly JobRunStats[], limit: number): JobRunStats[] {
  return stats
    .filter((s) => s.p95DurationMs !== null)
    .sort((a, b) => b.p95DurationMs! - a.p95DurationMs! || a.jobId.localeCompare(b.jobId))
    .slice(0, limit);
}

/** The jobs with the most failed runs (then the highest failure rate), worst first; jobs that never failed are left out. */
export function mostFailing(stats: readonly JobRunStats[], limit: number): JobRunStats[] {
  return stats
    .filter((s) => s.failed > 0)
    .sort((a, b) => b.failed - a.failed || (b.failureRate ?? 0) - (a.failureRate ?? 0) || a.jobId.localeCompare(b.jobId))
    .slice(0, limit);
}

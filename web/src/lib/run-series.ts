// Chart data for the dashboard: runs per bucket and status, stacked.

export type SeriesStatus = "SUCCESS" | "FAILURE" | "ABANDONED" | "CANCELLED" | "RUNNING" | "QUEUED";

/** Bottom to top of each stacked bar: outcomes first, what is still in progress on top. */
export const STACK_ORDER: readonly SeriesStatus[] = ["SUCCESS", "FAILURE", "ABANDONED", "CANCELLED", "RUNNING", "QUEUED"];

export interface BucketInput {
  start: string;
  counts: ReadonlyArray<{ status: string; count: number }>;
}

export interface StackedSeries {
  /** Bucket starts in seconds (uPlot's time unit). */
  xs: number[];
  /** Per status (STACK_ORDER), its own count in each bucket. */
  raw: number[][];
  /** Per status, the top of its segment: its count plus every status below it. */
  stacked: number[][];
}

export function stackBuckets(buckets: readonly BucketInput[]): StackedSeries {
  const xs = buckets.map((b) => Math.floor(new Date(b.start).getTime() / 1000));
  const raw = STACK_ORDER.map((status) => buckets.map((b) => b.counts.find((c) => c.status === status)?.count ?? 0));
  const stacked: number[][] = [];
  raw.forEach((row, i) => stacked.push(row.map((n, j) => n + (i > 0 ? stacked[i - 1]![j]! : 0))));
  return { xs, raw, stacked };
}

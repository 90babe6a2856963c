/** Nearest-rank percentile (p in 0–100) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function summary(samples: readonly number[], digits = 1): string {
  const f = (p: number) => percentile(samples, p).toFixed(digits);
  return `p50 ${f(50)} ms, p95 ${f(95)} ms, p99 ${f(99)} ms, max ${f(100)} ms`;
}

export type Row = [part: string, setup: string, result: string, target: string];

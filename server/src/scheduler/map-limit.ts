import pLimit from "p-limit";

/**
 * Runs `fn` over `items` with at most `limit` in flight (p-limit). Rejects with the first error
 * only once every item has settled, so the caller never moves on while some are still running.
 */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const gate = pLimit(Math.max(1, limit));
  const results = await Promise.allSettled(items.map((item) => gate(() => fn(item))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

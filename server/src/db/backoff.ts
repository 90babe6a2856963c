/**
 * Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with ±20 % jitter so a fleet
 * of processes that lost the database together does not knock on it in lock step.
 */
export function backoffDelay(attempt: number, initialMs = 250, maxMs = 5_000): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

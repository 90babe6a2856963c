export type Outcome =
  | { kind: "returned"; value: unknown; afterAbort: boolean }
  | { kind: "threw"; error: unknown; afterAbort: boolean }
  /** Aborted, and still not settled after the grace period. */
  | { kind: "stuck" };

/**
 * Waits for a handler's promise, but once `signal` aborts, for at most `graceMs` more: a handler
 * that ignores its signal must not hold the run (or the worker slot) forever.
 */
export function settleWithGrace(work: Promise<unknown>, signal: AbortSignal, graceMs: number): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      timer = setTimeout(() => resolve({ kind: "stuck" }), graceMs);
    };
    work.then(
      (value) => resolve({ kind: "returned", value, afterAbort: signal.aborted }),
      (error: unknown) => resolve({ kind: "threw", error, afterAbort: signal.aborted }),
    ).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Failed logins per (username, client IP) in a sliding window. Kept in process memory: with
 * several API processes each counts its own failures, which still bounds guessing per process.
 */
export class LoginRateLimiter {
  private failures = new Map<string, number[]>();

  private readonly maxFailures: number;
  private readonly windowMs: number;
  constructor(
    maxFailures = 5,
    windowMs = 5 * 60_000,
  ) {
    this.maxFailures = maxFailures;
    this.windowMs = windowMs;
  }

  private key(username: string, ip: string): string {
    return `${username.toLowerCase()}\u0000${ip}`;
  }

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until another attempt is allowed, or 0 when allowed now. */
  retryAfterSeconds(username: string, ip: string, now = Date.now()): number {
    const list = this.recent(this.key(username, ip), now);
    if (list.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((list[0]! + this.windowMs - now) / 1000));
  }

  recordFailure(username: string, ip: string, now = Date.now()): void {
    const key = this.key(username, ip);
    this.failures.set(key, [...this.recent(key, now), now]);
    if (this.failures.size > 10_000) this.sweep(now);
  }

  reset(username: string, ip: string): void {
    this.failures.delete(this.key(username, ip));
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
  }
}

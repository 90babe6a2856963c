import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { logger } from "../../logging/logger.ts";
import { sha256Hex } from "./secret-token.ts";

export interface LoginLimitOptions {
  /** Attempts per username in the window (LOGIN_MAX_FAILURES). */
  perUsername: number;
  /** Attempts per client address in the window (LOGIN_MAX_FAILURES_PER_ADDRESS). */
  perAddress: number;
  /** The window, and how long a key stays locked once it hit its limit (LOGIN_LOCKOUT_SECONDS). */
  windowSeconds: number;
}

/** A login attempt that may go ahead holds this; `succeeded` gives its counted attempt back. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

const TABLE = "_login_limits";

/**
 * Login attempts counted in PostgreSQL, shared by every API process. An attempt is counted
 * *before* the password is checked (one atomic upsert per key), so concurrent guesses cannot all
 * pass a check that then counts them: 200 at once against a limit of 5 check the password 5
 * times, and the others are refused without computing a hash. A successful login gives its
 * username attempts back. Keys are hashed: usernames and addresses are not stored in clear.
 */
export class LoginLimits {
  private readonly pool: pg.Pool;
  private readonly byUsername: RateLimiterPostgres;
  private readonly byAddress: RateLimiterPostgres;

  constructor(databaseUrl: string, options: LoginLimitOptions) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
    this.pool.on("error", (err) => logger().warn({ err }, "login limit connection failed"));
    // The table is created by the migrator (prisma/migrations), never by the library at run time.
    // Statements go unnamed: the library names its prepared statements, and a database that
    // shares one session between connections (embedded PGlite) refuses the second "PREPARE".
    const storeClient = { query: (q: { text: string; values?: unknown[] }) => this.pool.query(q.text, q.values) };
    const common = { storeClient, storeType: "pool", tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false, duration: options.windowSeconds, blockDuration: options.windowSeconds };
    this.byUsername = new RateLimiterPostgres({ ...common, keyPrefix: "user", points: options.perUsername });
    this.byAddress = new RateLimiterPostgres({ ...common, keyPrefix: "addr", points: options.perAddress });
  }

  /**
   * Counts an attempt for the username and the address; null when either is over its limit
   * (then `retryAfterSeconds` says how long to wait).
   */
  async attempt(username: string, address: string): Promise<LoginAttempt | { retryAfterSeconds: number }> {
    const userKey = sha256Hex(username.toLowerCase());
    const addressKey = sha256Hex(address);
    const results = await Promise.allSettled([this.byUsername.consume(userKey), this.byAddress.consume(addressKey)]);
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (refused.length) {
      const error = refused.find((r) => !(r instanceof RateLimiterRes));
      if (error) throw error;
      const waitMs = Math.max(...refused.map((r) => (r as RateLimiterRes).msBeforeNext));
      return { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    return {
      succeeded: async () => {
        await this.byUsername.delete(userKey);
        await this.byAddress.reward(addressKey, 1);
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

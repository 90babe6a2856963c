/**
 * Errors that mean "the database (or the way to it) went away", as opposed to errors of the
 * statement itself: worth retrying once the connection is back.
 */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 08xxx connection exceptions.
const SQLSTATE = /^(57P0[123]|08\d{3})$/;
// Prisma's codes for an unreachable server or a closed connection.
const PRISMA_CODES = /^P10(01|02|08|17)$/;
const MESSAGES = /Server has closed the connection|Connection terminated|terminating connection|Client has encountered a connection error|connection is closed|not queryable|Connection refused|the database system is (starting up|shutting down)|timeout exceeded when trying to connect|Can't reach database server/i;

export function isConnectionError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (NETWORK_CODES.has(code) || SQLSTATE.test(code) || PRISMA_CODES.test(code))) return true;
    if (typeof message === "string" && MESSAGES.test(message)) return true;
    // Prisma's driver-adapter errors carry the original pg error under `cause.originalCode`/`kind`.
    const original = (e as { originalCode?: unknown }).originalCode;
    if (typeof original === "string" && SQLSTATE.test(original)) return true;
  }
  return false;
}

/** A short description for logs: code and first line of the message. */
export function describeConnectionError(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return [code, String(message ?? error).split("\n")[0]].filter(Boolean).join(" ");
}

/**
 * Logs a failure; while the database is away the same failure repeats at every poll, so connection
 * errors are logged at most once per `everyMs` (as a warning: the process reconnects by itself).
 */
export function outageLogger(everyMs = 10_000): (log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void }, error: unknown, message: string) => void {
  let quietUntil = 0;
  return (log, error, message) => {
    if (!isConnectionError(error)) return log.error({ err: error }, message);
    if (Date.now() < quietUntil) return;
    quietUntil = Date.now() + everyMs;
    log.warn({ error: describeConnectionError(error) }, `${message} (database unreachable; retrying)`);
  };
}

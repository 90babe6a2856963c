import type { EventBus } from "../../events/event-bus.ts";
import type { Prisma } from "../../db/prisma.ts";
import { logger } from "../../logging/logger.ts";
import type { CredentialChange } from "./credential-changes.ts";
import { currentCredentials, type Credentials } from "./http-credentials.ts";

/** Close codes of graphql-ws's vocabulary: 4401 ends the session (the client must log in again). */
export const CLOSE_CREDENTIALS_ENDED = 4401;
export const CLOSE_ROLE_CHANGED = 4403;

/** Ends a connection (WebSocket close, SSE response end) with a code and a reason for the client. */
export type EndConnection = (code: number, reason: string) => void;

interface Tracked {
  credentials: Credentials;
  end: EndConnection;
  expiry: NodeJS.Timeout | undefined;
}

/** setTimeout takes at most a signed 32-bit delay; longer sessions are re-armed by nothing (they end by event or next operation). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The long-lived connections (WebSocket, SSE) of this API process and the credentials each was
 * opened with. When any process announces a credential change (`auth.credentialsChanged`), the
 * affected connections are checked against the database: ended credentials close the connection
 * (4401), a changed role closes it too (4403, reconnect to get the new rights). Sessions also
 * close at their expiry time.
 */
export class LiveCredentials {
  private readonly connections = new Set<Tracked>();
  private readonly unsubscribe: () => void;

  private readonly prisma: Prisma;

  constructor(prisma: Prisma, events: EventBus) {
    this.prisma = prisma;
    this.unsubscribe = events.subscribe("auth.credentialsChanged", (change) => void this.recheck(change));
  }

  get size(): number {
    return this.connections.size;
  }

  /** Returns the function that stops tracking (call it when the connection closes). */
  track(credentials: Credentials, end: EndConnection): () => void {
    const tracked: Tracked = { credentials, end, expiry: undefined };
    const session = credentials.session;
    if (session) {
      const ms = session.expiresAt.getTime() - Date.now();
      if (ms <= MAX_TIMER_MS) {
        tracked.expiry = setTimeout(() => this.end(tracked, CLOSE_CREDENTIALS_ENDED, "The session expired; log in again."), Math.max(0, ms));
        tracked.expiry.unref();
      }
    }
    this.connections.add(tracked);
    return () => this.forget(tracked);
  }

  close(): void {
    this.unsubscribe();
    for (const tracked of this.connections) clearTimeout(tracked.expiry);
    this.connections.clear();
  }

  private forget(tracked: Tracked): void {
    clearTimeout(tracked.expiry);
    this.connections.delete(tracked);
  }

  private end(tracked: Tracked, code: number, reason: string): void {
    this.forget(tracked);
    try {
      tracked.end(code, reason);
    } catch (err) {
      logger().warn({ err }, "could not close a connection whose credentials ended");
    }
  }

  private affected(change: CredentialChange): Tracked[] {
    const ids = new Set(change.ids);
    const kind = change.kind === "user" ? "USER" : "API_TOKEN";
    return [...this.connections].filter((t) => t.credentials.principal.kind === kind && ids.has(t.credentials.principal.id));
  }

  private async recheck(change: CredentialChange): Promise<void> {
    for (const tracked of this.affected(change)) {
      try {
        const now = await currentCredentials(this.prisma, tracked.credentials);
        if (!now) this.end(tracked, CLOSE_CREDENTIALS_ENDED, "The credentials of this connection were ended; log in again.");
        else if (now.principal.role !== tracked.credentials.principal.role) this.end(tracked, CLOSE_ROLE_CHANGED, "Your role changed; reconnect.");
      } catch (err) {
        // The database is unreachable: fail closed rather than keep serving unknown credentials.
        logger().warn({ err }, "could not re-check a connection's credentials; closing it");
        this.end(tracked, CLOSE_CREDENTIALS_ENDED, "The credentials could not be re-checked; reconnect.");
      }
    }
  }
}

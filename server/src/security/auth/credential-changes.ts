import type { EventBus } from "../../events/event-bus.ts";
import type { EventMap } from "../../events/event-map.ts";
import { logger } from "../../logging/logger.ts";

export type CredentialChange = EventMap["auth.credentialsChanged"];
/** The part of the event bus that credential changes need (null: nobody to tell, e.g. tests). */
export type CredentialEvents = Pick<EventBus, "publish"> | null;

/**
 * Tells every API process that these users' sessions or these API tokens ended or changed, so
 * open WebSocket/SSE connections held by them are re-checked at once. Call it after the change is
 * committed. A lost event is not a hole: every operation on a socket re-checks the database too.
 */
export async function announceCredentialChange(events: CredentialEvents, kind: CredentialChange["kind"], ids: number[]): Promise<void> {
  if (!events || ids.length === 0) return;
  try {
    await events.publish("auth.credentialsChanged", { kind, ids: [...new Set(ids)].slice(0, 500) });
  } catch (err) {
    logger().error({ err, kind }, "could not announce a credential change; open sockets are re-checked at their next operation");
  }
}

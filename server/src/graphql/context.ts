import type { Runtime } from "../runtime.ts";
import type { ActiveSession, Principal } from "../security/auth/index.ts";

/** The caller's network address and user agent (audit log). */
export interface RequestClient {
  address: string | null;
  userAgent: string | null;
}

/** What every resolver sees: the process's services and who is calling. */
export interface GraphQLContext {
  runtime: Runtime;
  principal: Principal | null;
  session: ActiveSession | null;
  client: RequestClient | null;
}

import type { Runtime } from "../runtime.ts";
import type { ActiveSession, Principal } from "../security/auth/index.ts";

/** What every resolver sees: the process's services and who is calling. */
export interface GraphQLContext {
  runtime: Runtime;
  principal: Principal | null;
  session: ActiveSession | null;
}

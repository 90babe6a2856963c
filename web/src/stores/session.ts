import { createSignal } from "solid-js";
import * as auth from "../lib/auth-api.ts";
import type { Role, Session } from "../lib/auth-api.ts";

export type SessionState =
  | { status: "checking" }
  | { status: "signed-out"; expired: boolean }
  | { status: "signed-in"; session: Session };

const RANK: Record<Role, number> = { VIEWER: 0, OPERATOR: 1, ADMIN: 2 };

/** The login session: checked once at start, replaced on login, dropped on logout or expiry. */
export function createSessionStore() {
  const [state, setState] = createSignal<SessionState>({ status: "checking" });
  const [checkError, setCheckError] = createSignal<Error | null>(null);

  const current = () => {
    const s = state();
    return s.status === "signed-in" ? s.session : null;
  };

  return {
    state,
    current,
    checkError,
    csrfToken: () => current()?.csrfToken,
    /** True when the signed-in user has at least `role` (VIEWER < OPERATOR < ADMIN). */
    can: (role: Role) => {
      const s = current();
      return s !== null && RANK[s.user.role] >= RANK[role];
    },
    async check() {
      setCheckError(null);
      try {
        const session = await auth.fetchSession();
        setState(session ? { status: "signed-in", session } : { status: "signed-out", expired: false });
      } catch (error) {
        setCheckError(error as Error);
        setState({ status: "signed-out", expired: false });
      }
    },
    async login(username: string, password: string) {
      const session = await auth.login(username, password);
      setState({ status: "signed-in", session });
    },
    async logout() {
      const token = current()?.csrfToken;
      setState({ status: "signed-out", expired: false });
      await auth.logout(token).catch(() => undefined);
    },
    /** The server rejected the session (expired or revoked): back to the login screen, saying why. */
    expire() {
      if (state().status === "signed-in") setState({ status: "signed-out", expired: true });
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

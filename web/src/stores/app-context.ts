import { createContext, useContext } from "solid-js";
import type { SessionStore } from "./session.ts";

export interface AppContextValue {
  session: SessionStore;
  /** The server's IANA zone: every instant is shown in it. */
  zone: () => string;
  serverName: () => string;
  serverVersion: () => string;
}

export const AppContext = createContext<AppContextValue>();

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp() called outside <AuthGate>");
  return value;
}

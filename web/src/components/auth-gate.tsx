import { Provider } from "@urql/solid";
import { createMemo, Match, onCleanup, Switch, type Component, type JSX } from "solid-js";
import { createApiClient } from "../lib/client.ts";
import { LoginPage } from "../routes/login.tsx";
import { t } from "../stores/i18n.ts";
import type { SessionStore } from "../stores/session.ts";
import { Layout } from "./layout.tsx";
import { Loading } from "./states.tsx";

interface Props {
  session: SessionStore;
  children?: JSX.Element;
}

/** Shows the login screen until there is a session; each session gets its own API client and socket. */
export const AuthGate: Component<Props> = (props) => {
  const signedIn = createMemo(() => props.session.current());
  return (
    <Switch>
      <Match when={props.session.state().status === "checking"}>
        <Loading label={t("common.loading")} />
      </Match>
      <Match when={signedIn()} keyed>
        {(current) => {
          const api = createApiClient({ csrfToken: () => current.csrfToken, onUnauthenticated: () => props.session.expire() });
          onCleanup(() => api.dispose());
          return (
            <Provider value={api.urql}>
              <Layout session={props.session}>{props.children}</Layout>
            </Provider>
          );
        }}
      </Match>
      <Match when={props.session.state().status === "signed-out"}>
        <LoginPage session={props.session} />
      </Match>
    </Switch>
  );
};

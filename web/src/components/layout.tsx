import { A } from "@solidjs/router";
import { createQuery } from "@urql/solid";
import { Show, type Component, type JSX } from "solid-js";
import { serverInfoQuery } from "../lib/queries/server-info.ts";
import { AppContext } from "../stores/app-context.ts";
import { t } from "../stores/i18n.ts";
import type { SessionStore } from "../stores/session.ts";
import { ConfirmDialog } from "./confirm-dialog.tsx";
import { LanguageSwitch } from "./language-switch.tsx";
import { RoleName } from "./labels.tsx";
import { ToastArea } from "./toasts.tsx";

interface Props {
  session: SessionStore;
  children?: JSX.Element;
}

export const Layout: Component<Props> = (props) => {
  const [info] = createQuery({ query: serverInfoQuery, requestPolicy: "cache-first" });
  const zone = () => info.data?.serverInfo.timeZone ?? "Asia/Shanghai";
  const user = () => props.session.current()?.user;
  return (
    <AppContext.Provider
      value={{
        session: props.session,
        zone,
        serverName: () => info.data?.serverInfo.name ?? "ConnectHub",
        serverVersion: () => info.data?.serverInfo.version ?? "",
      }}
    >
      <header class="topbar">
        <A href="/" class="brand">
          {info.data?.serverInfo.name ?? "ConnectHub"}
        </A>
        <nav>
          <A href="/" end activeClass="active" data-testid="nav-dashboard">
            {t("nav.dashboard")}
          </A>
          <A href="/jobs" activeClass="active">
            {t("nav.jobs")}
          </A>
          <A href="/runs" activeClass="active">
            {t("nav.runs")}
          </A>
          <Show when={props.session.can("ADMIN")}>
            <A href="/tokens" activeClass="active">
              {t("nav.tokens")}
            </A>
            <A href="/users" activeClass="active">
              {t("nav.users")}
            </A>
            <A href="/audit" activeClass="active">
              {t("nav.audit")}
            </A>
          </Show>
        </nav>
        <span class="spacer" />
        <span class="who" title={t("nav.zoneTitle")}>
          {t("nav.zone", { zone: zone() })}
        </span>
        <Show when={user()}>
          {(u) => (
            <A href="/account" class="who" data-testid="whoami" title={t("nav.account")}>
              {u().username} · <RoleName role={u().role} />
            </A>
          )}
        </Show>
        <LanguageSwitch />
        <button type="button" class="btn btn-small" onClick={() => void props.session.logout()}>
          {t("nav.logout")}
        </button>
      </header>
      <main class="content">{props.children}</main>
      <ToastArea />
      <ConfirmDialog />
    </AppContext.Provider>
  );
};

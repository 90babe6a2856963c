import { createSignal, Show, type Component } from "solid-js";
import { LanguageSwitch } from "../components/language-switch.tsx";
import { LoginRateLimitedError, LoginRejectedError } from "../lib/auth-api.ts";
import { t } from "../stores/i18n.ts";
import type { SessionStore } from "../stores/session.ts";

interface Props {
  session: SessionStore;
}

export const LoginPage: Component<Props> = (props) => {
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const expired = () => {
    const s = props.session.state();
    return s.status === "signed-out" && s.expired;
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (!username().trim() || !password()) return setError(t("login.missing"));
    setBusy(true);
    setError(null);
    try {
      await props.session.login(username().trim(), password());
    } catch (e) {
      setError(
        e instanceof LoginRejectedError ? t("login.rejected") : e instanceof LoginRateLimitedError ? t("login.rateLimited") : t("login.unavailable"),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit} novalidate>
        <div class="login-head">
          <h1>ConnectHub</h1>
          <LanguageSwitch />
        </div>
        <p class="muted">{t("login.subtitle")}</p>
        <Show when={expired()}>
          <p class="notice" role="status">
            {t("login.expired")}
          </p>
        </Show>
        <Show when={props.session.checkError()}>
          <p class="notice notice-error" role="alert">
            {t("login.unavailable")}
          </p>
        </Show>
        <label class="field">
          <span>{t("login.username")}</span>
          <input name="username" autocomplete="username" value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t("login.password")}</span>
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <Show when={error()}>
          <p class="field-error" role="alert" data-testid="login-error">
            {error()}
          </p>
        </Show>
        <button type="submit" class="btn btn-primary" disabled={busy()}>
          {busy() ? t("login.submitting") : t("login.submit")}
        </button>
      </form>
    </main>
  );
};

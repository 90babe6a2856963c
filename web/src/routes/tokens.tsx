import { useClient, createQuery } from "@urql/solid";
import { createSignal, For, Match, Show, Switch, type Component } from "solid-js";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { Field } from "../components/field.tsx";
import { RoleName } from "../components/labels.tsx";
import { RoleSelect } from "../components/role-select.tsx";
import { Empty, ErrorState, Loading, NotAllowed } from "../components/states.tsx";
import { toast } from "../components/toasts.tsx";
import { ActionFailedError, errorMessage, unwrapPayload } from "../lib/action-result.ts";
import { fieldErrorText } from "../lib/coded-text.ts";
import type { Role } from "../lib/auth-api.ts";
import { formatInstant, wallTimeToInstant } from "../lib/format.ts";
import { apiTokensQuery, createApiTokenMutation, revokeApiTokenMutation } from "../lib/queries/accounts.ts";
import { useApp } from "../stores/app-context.ts";
import { t } from "../stores/i18n.ts";

/** API tokens: create one (its value is shown once, here), see who uses which, revoke. Admins only. */
export const TokensPage: Component = () => {
  const app = useApp();
  return (
    <Show when={app.session.can("ADMIN")} fallback={<NotAllowed message={t("tokens.adminOnly")} />}>
      <TokensAdmin />
    </Show>
  );
};

const TokensAdmin: Component = () => {
  const app = useApp();
  const client = useClient();
  const [showRevoked, setShowRevoked] = createSignal(false);
  const [tokens, refetch] = createQuery({ query: apiTokensQuery, variables: () => ({ includeRevoked: showRevoked() }), requestPolicy: "network-only" });
  const reload = () => refetch({ requestPolicy: "network-only" });
  const [name, setName] = createSignal("");
  const [role, setRole] = createSignal<Role>("VIEWER");
  const [expires, setExpires] = createSignal("");
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [created, setCreated] = createSignal<{ name: string; token: string } | null>(null);
  const [busy, setBusy] = createSignal(false);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const expiresAt = expires() ? wallTimeToInstant(expires(), app.zone()) : null;
      const result = await client.mutation(createApiTokenMutation, { input: { name: name(), role: role(), expiresAt } }).toPromise();
      const data = unwrapPayload<{ token: string; apiToken: { name: string } }>(result, "createApiToken");
      setCreated({ name: data.apiToken.name, token: data.token });
      setName("");
      setExpires("");
      reload();
    } catch (error) {
      if (error instanceof ActionFailedError && error.fieldErrors.length) setErrors(Object.fromEntries(error.fieldErrors.map((e) => [e.field, fieldErrorText(e)])));
      else toast("error", () => errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (id: string, tokenName: string) => {
    const ok = await confirmAction({
      title: t("tokens.confirm.revokeTitle", { name: tokenName }),
      body: t("tokens.confirm.revokeBody"),
      confirmLabel: t("tokens.action.revoke"),
      danger: true,
    });
    if (!ok) return;
    try {
      unwrapPayload(await client.mutation(revokeApiTokenMutation, { id }).toPromise(), "revokeApiToken");
      toast("ok", () => t("tokens.toast.revoked", { name: tokenName }));
      reload();
    } catch (error) {
      toast("error", () => errorMessage(error));
    }
  };

  return (
    <section data-testid="tokens-page">
      <div class="page-head">
        <h1>{t("tokens.title")}</h1>
      </div>
      <form class="panel" onSubmit={create} novalidate data-testid="token-form">
        <h2>{t("tokens.new")}</h2>
        <div class="form-grid">
          <Field label={t("tokens.field.name")} for="token-name" hint={t("tokens.field.nameHint")} error={errors().name}>
            <input id="token-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field label={t("tokens.field.role")} for="token-role">
            <RoleSelect id="token-role" value={role()} onChange={setRole} />
          </Field>
          <Field label={t("tokens.field.expiresAt")} for="token-expires" hint={t("tokens.field.expiresHint", { zone: app.zone() })} error={errors().expiresAt}>
            <input id="token-expires" type="datetime-local" value={expires()} onInput={(e) => setExpires(e.currentTarget.value)} />
          </Field>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="create-token">
            {t("tokens.action.create")}
          </button>
        </div>
      </form>
      <Show when={created()}>
        {(c) => (
          <div class="panel secret-once" role="status" data-testid="new-token">
            <strong>{t("tokens.createdTitle", { name: c().name })}</strong>
            <p>{t("tokens.createdOnce")}</p>
            <code data-testid="new-token-value">{c().token}</code>
            <div class="form-actions">
              <button type="button" class="btn btn-small" onClick={() => void navigator.clipboard?.writeText(c().token).then(() => toast("ok", () => t("tokens.toast.copied")))}>
                {t("tokens.action.copy")}
              </button>
              <button type="button" class="btn btn-small" onClick={() => setCreated(null)}>
                {t("tokens.action.dismiss")}
              </button>
            </div>
          </div>
        )}
      </Show>
      <div class="filters">
        <label class="toggle">
          <input type="checkbox" checked={showRevoked()} onChange={(e) => setShowRevoked(e.currentTarget.checked)} />
          {t("tokens.showRevoked")}
        </label>
      </div>
      <Switch>
        <Match when={tokens.error && !tokens.data}>
          <ErrorState message={tokens.error!.message} onRetry={reload} />
        </Match>
        <Match when={!tokens.data}>
          <Loading />
        </Match>
        <Match when={tokens.data!.apiTokens.length === 0}>
          <Empty title={t("tokens.empty")} />
        </Match>
        <Match when={true}>
          <div class="table-wrap">
            <table class="cards" data-testid="tokens-table">
              <thead>
                <tr>
                  <th>{t("tokens.col.name")}</th>
                  <th>{t("tokens.col.role")}</th>
                  <th>{t("tokens.col.created")}</th>
                  <th>{t("tokens.col.lastUsed")}</th>
                  <th>{t("tokens.col.expires")}</th>
                  <th>{t("tokens.col.actions")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={tokens.data!.apiTokens}>
                  {(token) => (
                    <tr data-testid={`token-row-${token.name}`}>
                      <td data-label={t("tokens.col.name")}>
                        <strong>{token.name}</strong> <code class="muted">{token.prefix}…</code>
                      </td>
                      <td data-label={t("tokens.col.role")}>
                        <RoleName role={token.role} />
                      </td>
                      <td data-label={t("tokens.col.created")}>{formatInstant(token.createdAt, app.zone())}</td>
                      <td data-label={t("tokens.col.lastUsed")}>{formatInstant(token.lastUsedAt, app.zone()) || t("tokens.neverUsed")}</td>
                      <td data-label={t("tokens.col.expires")}>{formatInstant(token.expiresAt, app.zone()) || t("tokens.noExpiry")}</td>
                      <td data-label={t("tokens.col.actions")}>
                        <Show when={token.active} fallback={<span class="muted">{token.revokedAt ? t("tokens.revoked") : t("tokens.expired")}</span>}>
                          <button type="button" class="btn btn-small btn-danger" data-testid="revoke-token" onClick={() => void revoke(token.id, token.name)}>
                            {t("tokens.action.revoke")}
                          </button>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Match>
      </Switch>
    </section>
  );
};

import { createQuery, useClient } from "@urql/solid";
import { createSignal, For, Match, Show, Switch, type Component } from "solid-js";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { Field } from "../components/field.tsx";
import { RoleSelect } from "../components/role-select.tsx";
import { ErrorState, Loading, NotAllowed } from "../components/states.tsx";
import { toast } from "../components/toasts.tsx";
import { ActionFailedError, errorMessage, unwrapPayload } from "../lib/action-result.ts";
import { fieldErrorText } from "../lib/coded-text.ts";
import type { Role } from "../lib/auth-api.ts";
import { formatInstant } from "../lib/format.ts";
import { createUserMutation, resetPasswordMutation, updateUserMutation, usersQuery } from "../lib/queries/accounts.ts";
import { useApp } from "../stores/app-context.ts";
import { t } from "../stores/i18n.ts";

/** Users: create, change role, disable or enable, set a new password. Admins only. */
export const UsersPage: Component = () => {
  const app = useApp();
  return (
    <Show when={app.session.can("ADMIN")} fallback={<NotAllowed message={t("users.adminOnly")} />}>
      <UsersAdmin />
    </Show>
  );
};

function fieldErrorsOf(error: unknown): Record<string, string> | null {
  return error instanceof ActionFailedError && error.fieldErrors.length ? Object.fromEntries(error.fieldErrors.map((e) => [e.field, fieldErrorText(e)])) : null;
}

const UsersAdmin: Component = () => {
  const app = useApp();
  const client = useClient();
  const [users, refetch] = createQuery({ query: usersQuery, requestPolicy: "network-only" });
  const reload = () => refetch({ requestPolicy: "network-only" });
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [role, setRole] = createSignal<Role>("VIEWER");
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [resetFor, setResetFor] = createSignal<{ id: string; username: string } | null>(null);
  const [newPassword, setNewPassword] = createSignal("");
  const [resetError, setResetError] = createSignal<string | undefined>();

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    setErrors({});
    try {
      const result = await client.mutation(createUserMutation, { input: { username: username().trim(), password: password(), role: role() } }).toPromise();
      const user = unwrapPayload<{ username: string }>(result, "createUser");
      toast("ok", () => t("users.toast.created", { name: user.username }));
      setUsername("");
      setPassword("");
      reload();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields) setErrors(fields);
      else toast("error", () => errorMessage(error));
    }
  };

  const update = async (id: string, name: string, input: { role?: Role; disabled?: boolean }) => {
    if (input.disabled) {
      const ok = await confirmAction({ title: t("users.confirm.disableTitle", { name }), body: t("users.confirm.disableBody"), confirmLabel: t("users.action.disable"), danger: true });
      if (!ok) return;
    }
    try {
      unwrapPayload(await client.mutation(updateUserMutation, { id, input }).toPromise(), "updateUser");
      toast("ok", () => t(input.role ? "users.toast.roleChanged" : input.disabled ? "users.toast.disabled" : "users.toast.enabled", { name }));
    } catch (error) {
      toast("error", () => errorMessage(error));
    }
    reload();
  };

  const reset = async (event: SubmitEvent) => {
    event.preventDefault();
    const target = resetFor();
    if (!target) return;
    setResetError(undefined);
    try {
      unwrapPayload(await client.mutation(resetPasswordMutation, { id: target.id, password: newPassword() }).toPromise(), "resetPassword");
      toast("ok", () => t("users.toast.passwordReset", { name: target.username }));
      setResetFor(null);
      setNewPassword("");
    } catch (error) {
      const fields = fieldErrorsOf(error);
      if (fields) setResetError(fields.password);
      else toast("error", () => errorMessage(error));
    }
  };

  return (
    <section data-testid="users-page">
      <div class="page-head">
        <h1>{t("users.title")}</h1>
      </div>
      <form class="panel" onSubmit={create} novalidate data-testid="user-form">
        <h2>{t("users.new")}</h2>
        <div class="form-grid">
          <Field label={t("users.field.username")} for="user-name" error={errors().username}>
            <input id="user-name" autocomplete="off" value={username()} onInput={(e) => setUsername(e.currentTarget.value)} />
          </Field>
          <Field label={t("users.field.password")} for="user-password" hint={t("account.passwordHint")} error={errors().password}>
            <input id="user-password" type="password" autocomplete="new-password" value={password()} onInput={(e) => setPassword(e.currentTarget.value)} />
          </Field>
          <Field label={t("users.field.role")} for="user-role">
            <RoleSelect id="user-role" value={role()} onChange={setRole} />
          </Field>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="create-user">
            {t("users.action.create")}
          </button>
        </div>
      </form>
      <Show when={resetFor()}>
        {(target) => (
          <form class="panel" onSubmit={reset} novalidate data-testid="reset-form">
            <h2>{t("users.resetTitle", { name: target().username })}</h2>
            <p class="muted">{t("users.resetBody")}</p>
            <Field label={t("users.field.newPassword")} for="reset-password" hint={t("account.passwordHint")} error={resetError()}>
              <input id="reset-password" type="password" autocomplete="new-password" value={newPassword()} onInput={(e) => setNewPassword(e.currentTarget.value)} />
            </Field>
            <div class="form-actions">
              <button type="button" class="btn" onClick={() => setResetFor(null)}>
                {t("common.back")}
              </button>
              <button type="submit" class="btn btn-primary" data-testid="reset-submit">
                {t("users.action.resetPassword")}
              </button>
            </div>
          </form>
        )}
      </Show>
      <Switch>
        <Match when={users.error && !users.data}>
          <ErrorState message={users.error!.message} onRetry={reload} />
        </Match>
        <Match when={!users.data}>
          <Loading />
        </Match>
        <Match when={true}>
          <div class="table-wrap">
            <table class="cards" data-testid="users-table">
              <thead>
                <tr>
                  <th>{t("users.col.username")}</th>
                  <th>{t("users.col.role")}</th>
                  <th>{t("users.col.state")}</th>
                  <th>{t("users.col.created")}</th>
                  <th>{t("users.col.actions")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={users.data!.users}>
                  {(user) => (
                    <tr data-testid={`user-row-${user.username}`} classList={{ muted: user.disabled }}>
                      <td data-label={t("users.col.username")}>
                        <strong>{user.username}</strong>
                      </td>
                      <td data-label={t("users.col.role")}>
                        <RoleSelect label={t("users.col.role")} value={user.role} onChange={(r) => void update(user.id, user.username, { role: r })} />
                      </td>
                      <td data-label={t("users.col.state")} data-testid="user-state">
                        {user.disabled ? t("users.disabled") : t("users.enabled")}
                      </td>
                      <td data-label={t("users.col.created")}>{formatInstant(user.createdAt, app.zone())}</td>
                      <td data-label={t("users.col.actions")} class="row-actions">
                        <button type="button" class="btn btn-small" data-testid="reset-password" onClick={() => setResetFor({ id: user.id, username: user.username })}>
                          {t("users.action.resetPassword")}
                        </button>
                        <Show
                          when={user.disabled}
                          fallback={
                            <button type="button" class="btn btn-small btn-danger" data-testid="disable-user" onClick={() => void update(user.id, user.username, { disabled: true })}>
                              {t("users.action.disable")}
                            </button>
                          }
                        >
                          <button type="button" class="btn btn-small" data-testid="enable-user" onClick={() => void update(user.id, user.username, { disabled: false })}>
                            {t("users.action.enable")}
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

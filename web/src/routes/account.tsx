import { useClient } from "@urql/solid";
import { createSignal, type Component } from "solid-js";
import { Field } from "../components/field.tsx";
import { RoleName } from "../components/labels.tsx";
import { toast } from "../components/toasts.tsx";
import { ActionFailedError, errorMessage, unwrapPayload } from "../lib/action-result.ts";
import { fieldErrorText } from "../lib/coded-text.ts";
import { changeMyPasswordMutation } from "../lib/queries/accounts.ts";
import { useApp } from "../stores/app-context.ts";
import { t } from "../stores/i18n.ts";

/** Everyone's own account: change the password (other sessions end; this one stays). */
export const AccountPage: Component = () => {
  const app = useApp();
  const client = useClient();
  const [current, setCurrent] = createSignal("");
  const [next, setNext] = createSignal("");
  const [repeat, setRepeat] = createSignal("");
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (next() !== repeat()) return setErrors({ repeat: t("account.mismatch") });
    setErrors({});
    setBusy(true);
    try {
      const result = await client.mutation(changeMyPasswordMutation, { currentPassword: current(), newPassword: next() }).toPromise();
      unwrapPayload(result, "changeMyPassword");
      toast("ok", () => t("account.toast.changed"));
      setCurrent("");
      setNext("");
      setRepeat("");
    } catch (error) {
      if (error instanceof ActionFailedError && error.fieldErrors.length) {
        setErrors(Object.fromEntries(error.fieldErrors.map((e) => [e.field, e.field === "currentPassword" ? t("account.wrongCurrent") : fieldErrorText(e)])));
      } else toast("error", () => errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section data-testid="account-page">
      <div class="page-head">
        <h1>{t("account.title")}</h1>
      </div>
      <p class="muted">
        {app.session.current()?.user.username} · <RoleName role={app.session.current()?.user.role ?? "VIEWER"} />
      </p>
      <form class="panel narrow" onSubmit={submit} novalidate data-testid="password-form">
        <h2>{t("account.changePassword")}</h2>
        <Field label={t("account.current")} for="currentPassword" error={errors().currentPassword}>
          <input id="currentPassword" type="password" autocomplete="current-password" value={current()} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </Field>
        <Field label={t("account.new")} for="newPassword" hint={t("account.passwordHint")} error={errors().newPassword}>
          <input id="newPassword" type="password" autocomplete="new-password" value={next()} onInput={(e) => setNext(e.currentTarget.value)} />
        </Field>
        <Field label={t("account.repeat")} for="repeat" error={errors().repeat}>
          <input id="repeat" type="password" autocomplete="new-password" value={repeat()} onInput={(e) => setRepeat(e.currentTarget.value)} />
        </Field>
        <p class="hint muted">{t("account.otherSessionsEnd")}</p>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy()} data-testid="change-password">
            {t("account.submit")}
          </button>
        </div>
      </form>
    </section>
  );
};

import { A, useNavigate, useParams } from "@solidjs/router";
import { createQuery, useClient } from "@urql/solid";
import { createSignal, Match, Show, Switch, type Component } from "solid-js";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { Field } from "../components/field.tsx";
import { ConfigFields } from "../components/job-form/config-fields.tsx";
import { RunFields } from "../components/job-form/run-fields.tsx";
import { TriggerFields } from "../components/job-form/trigger-fields.tsx";
import { ErrorState, Loading, NotAllowed } from "../components/states.tsx";
import { toast } from "../components/toasts.tsx";
import { ActionFailedError, errorMessage, unwrapPayload } from "../lib/action-result.ts";
import { fieldErrorText } from "../lib/coded-text.ts";
import { fieldRule } from "../lib/job-rules.ts";
import type { ResultOf } from "../lib/graphql.ts";
import { handlersQuery } from "../lib/queries/handlers.ts";
import { createJobMutation, jobForEditQuery, updateJobMutation } from "../lib/queries/job-definition.ts";
import { useApp } from "../stores/app-context.ts";
import { t } from "../stores/i18n.ts";
import { createJobForm, formFieldOf, initialValues, secretUpdateOf, storedStartText, toJobInput, type FieldErrors, type StoredJob } from "../stores/job-form.ts";

/** Create (/jobs/new) or edit (/jobs/:id/edit) a job. */
export const JobEditorPage: Component = () => {
  const params = useParams<{ id?: string }>();
  const app = useApp();
  const [handlers] = createQuery({ query: handlersQuery, requestPolicy: "cache-and-network" });
  const [job] = createQuery({ query: jobForEditQuery, variables: () => ({ id: params.id ?? "" }), pause: () => !params.id, requestPolicy: "network-only" });
  const ready = () => Boolean(handlers.data) && (!params.id || Boolean(job.data));

  return (
    <Switch>
      <Match when={!app.session.can("ADMIN")}>
        <NotAllowed message={t("editor.adminOnly")} />
      </Match>
      <Match when={handlers.error || job.error}>
        <ErrorState message={(handlers.error ?? job.error)!.message} />
      </Match>
      <Match when={!ready()}>
        <Loading />
      </Match>
      <Match when={params.id && !job.data?.job}>
        <ErrorState message={t("editor.notFound", { id: params.id ?? "" })} />
      </Match>
      <Match when={true}>
        <JobEditor stored={(job.data?.job as StoredJob | null | undefined) ?? null} handlers={handlers.data!.handlers} />
      </Match>
    </Switch>
  );
};

interface EditorProps {
  stored: StoredJob | null;
  handlers: ResultOf<typeof handlersQuery>["handlers"];
}

const JobEditor: Component<EditorProps> = (props) => {
  const app = useApp();
  const client = useClient();
  const navigate = useNavigate();
  const editing = () => props.stored !== null;
  const form = createJobForm(initialValues(props.stored, app.zone()));
  const [saving, setSaving] = createSignal(false);
  const [formError, setFormError] = createSignal<string | null>(null);
  // "Fix the marked fields" lasts as long as a marked field does.
  const [fieldsBanner, setFieldsBanner] = createSignal<"editor.fixFields" | "editor.serverRejected" | null>(null);
  const hasFieldErrors = () => Object.values(form.errors()).some(Boolean);
  const banner = () => formError() ?? (fieldsBanner() && hasFieldErrors() ? t(fieldsBanner()!) : null);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setFormError(null);
    setFieldsBanner(null);
    const { input, errors } = toJobInput(form.values, app.zone());
    if (Object.keys(errors).length) {
      form.setErrors(errors);
      return setFieldsBanner("editor.fixFields");
    }
    const original = props.stored;
    // An untouched start keeps its stored instant exactly (the text shows whole seconds only).
    if (original?.startAt && form.values.startAt === storedStartText(original, app.zone()) && form.values.timezone === (original.timezone ?? "")) input.startAt = original.startAt;
    if (original && input.id !== original.id) {
      const ok = await confirmAction({
        title: t("editor.rename.title"),
        body: t("editor.rename.body", { from: original.id, to: String(input.id) }),
        confirmLabel: t("editor.rename.confirm"),
      });
      if (!ok) return;
    }
    setSaving(true);
    try {
      let savedId: string;
      if (original) {
        // Secrets change key by key: a key left empty keeps its stored value (never sent back to us).
        const { secretCfg, ...rest } = input;
        const update = { ...rest, ...secretUpdateOf(form.values, secretCfg), clearWebhookSecret: form.values.clearWebhookSecret || undefined };
        const result = await client.mutation(updateJobMutation, { id: original.id, input: update }).toPromise();
        savedId = unwrapPayload<{ id: string }>(result, "updateJob").id;
      } else {
        const result = await client.mutation(createJobMutation, { input }).toPromise();
        savedId = unwrapPayload<{ id: string }>(result, "createJob").id;
      }
      toast("ok", () => t(original ? "editor.toast.saved" : "editor.toast.created", { id: savedId }));
      navigate("/jobs");
    } catch (error) {
      if (error instanceof ActionFailedError && error.fieldErrors.length) {
        const byField: FieldErrors = {};
        for (const fe of error.fieldErrors) {
          const field = formFieldOf(fe.field);
          const text = fe.field.includes(".") ? `${fe.field.split(".").slice(1).join(".")}: ${fieldErrorText(fe)}` : fieldErrorText(fe);
          byField[field] = byField[field] ? `${byField[field]}; ${text}` : text;
        }
        form.setErrors(byField);
        setFieldsBanner("editor.serverRejected");
      } else {
        setFormError(errorMessage(error));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={save} novalidate data-testid="job-editor">
      <div class="page-head">
        <A href="/jobs">← {t("editor.back")}</A>
        <h1>{editing() ? t("editor.titleEdit", { id: props.stored!.id }) : t("editor.titleCreate")}</h1>
        <span class="spacer" />
        <button type="submit" class="btn btn-primary" data-testid="save-job" disabled={saving()}>
          {saving() ? t("common.saving") : t("common.save")}
        </button>
      </div>
      <Show when={banner()}>
        <p class="notice notice-error" role="alert" data-testid="form-error">
          {banner()}
        </p>
      </Show>
      <fieldset class="panel">
        <h2>{t("editor.section.basics")}</h2>
        <div class="form-grid">
          <Field for="id" label={t("editor.field.id")} hint={editing() ? t("editor.hint.rename") : t("editor.hint.id")} error={form.errors().id}>
            <input id="id" class="mono" required maxLength={fieldRule("id")?.maxLength} value={form.values.id} onInput={(e) => form.set("id", e.currentTarget.value)} />
          </Field>
          <Field for="description" label={t("editor.field.description")} error={form.errors().description}>
            <input id="description" maxLength={fieldRule("description")?.maxLength} value={form.values.description} onInput={(e) => form.set("description", e.currentTarget.value)} />
          </Field>
        </div>
        <label class="toggle">
          <input type="checkbox" checked={form.values.enabled} onChange={(e) => form.set("enabled", e.currentTarget.checked)} />
          {t("editor.field.enabled")}
        </label>
      </fieldset>
      <TriggerFields form={form} />
      <ConfigFields
        form={form}
        handlers={props.handlers}
        editing={editing()}
        hasSecrets={props.stored?.hasSecrets ?? false}
        secretKeys={props.stored?.secretKeys ?? []}
        secretProblem={(props.stored as { secretProblem?: string | null } | null)?.secretProblem ?? null}
      />
      <RunFields form={form} editing={editing()} hasWebhookSecret={props.stored?.hasWebhookSecret ?? false} />
      <div class="form-actions">
        <A href="/jobs" class="btn">
          {t("common.cancel")}
        </A>
        <button type="submit" class="btn btn-primary" disabled={saving()}>
          {saving() ? t("common.saving") : t("common.save")}
        </button>
      </div>
    </form>
  );
};

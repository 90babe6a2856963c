import { createMemo, createSignal, For, Show, type Component } from "solid-js";
import { localizedText, schemaFields } from "../../lib/config-schema.ts";
import { handlerLabel } from "../../lib/handler-label.ts";
import { createSchemaChecker, parseConfigObject } from "../../lib/json-config.ts";
import type { ResultOf } from "../../lib/graphql.ts";
import type { handlersQuery } from "../../lib/queries/handlers.ts";
import { locale, t } from "../../stores/i18n.ts";
import type { createJobForm } from "../../stores/job-form.ts";
import { Field } from "../field.tsx";
import { SchemaForm } from "./schema-form.tsx";
import { SecretInputs } from "./secret-inputs.tsx";

type HandlerInfo = ResultOf<typeof handlersQuery>["handlers"][number];

interface Props {
  form: ReturnType<typeof createJobForm>;
  handlers: HandlerInfo[];
  /** Key names of the stored secret config (values are never sent to the browser). */
  secretKeys: string[];
  hasSecrets: boolean;
  secretProblem: string | null;
  editing: boolean;
}

/**
 * Handler, its public config (a form from the handler's params schema, or the raw JSON one click
 * away: both edit the same JSON text) checked live against the schema, and write-only secrets.
 */
export const ConfigFields: Component<Props> = (props) => {
  const v = () => props.form.values;
  const err = () => props.form.errors();
  const handler = createMemo(() => props.handlers.find((h) => h.handlerPath === v().handlerPath) ?? null);
  const describeHandler = (h: HandlerInfo) => localizedText(h.description, h.descriptions, locale());
  const checkParams = createMemo(() => createSchemaChecker(handler()?.paramsJsonSchema));
  const parsed = createMemo(() => parseConfigObject(v().publicCfg));
  const liveProblems = createMemo(() => {
    const p = parsed();
    return p.ok ? checkParams()(p.value) : [p.problem];
  });
  const hasForm = () => schemaFields(handler()?.paramsJsonSchema).length > 0;
  const [jsonView, setJsonView] = createSignal(false);
  const showForm = () => hasForm() && !jsonView();
  const describe = (problems: { path: string; message: string }[]) =>
    problems.map((p) => (p.path ? `${p.path.slice(1)}: ${p.message}` : p.message)).join("; ");
  // In the form, problems show under their own input; only whole-object ones stay at the top.
  const topProblems = () => (showForm() ? liveProblems().filter((p) => !p.path || !schemaFields(handler()?.paramsJsonSchema).some((f) => p.path.startsWith(`/${f.key}`))) : liveProblems());

  return (
    <fieldset class="panel">
      <h2>{t("editor.section.handler")}</h2>
      <Field for="handlerPath" label={t("editor.field.handlerPath")} error={err().handlerPath}>
        <select id="handlerPath" value={v().handlerPath} onChange={(e) => props.form.set("handlerPath", e.currentTarget.value)}>
          <option value="">{t("editor.pickHandler")}</option>
          <For each={props.handlers}>{(h) => <option value={h.handlerPath}>{handlerLabel(h)}</option>}</For>
          <Show when={v().handlerPath && !handler()}>
            <option value={v().handlerPath}>{t("editor.unknownHandler", { path: v().handlerPath })}</option>
          </Show>
        </select>
      </Field>
      <Show when={handler() && describeHandler(handler()!)}>
        <p class="handler-desc" data-testid="handler-description">
          {describeHandler(handler()!)}
        </p>
      </Show>
      <div class="field-head">
        <span class="field-title">{t("editor.field.publicCfg")}</span>
        <Show when={hasForm()}>
          <div class="segmented" role="group" aria-label={t("config.viewLabel")}>
            <button type="button" class={showForm() ? "active" : ""} aria-pressed={showForm()} data-testid="cfg-view-form" disabled={!parsed().ok} onClick={() => setJsonView(false)}>
              {t("config.viewForm")}
            </button>
            <button type="button" class={showForm() ? "" : "active"} aria-pressed={!showForm()} data-testid="cfg-view-json" onClick={() => setJsonView(true)}>
              {t("config.viewJson")}
            </button>
          </div>
        </Show>
      </div>
      <Show
        when={showForm() && parsed().ok}
        fallback={
          <Field
            for="publicCfg"
            label=""
            hint={handler()?.paramsJsonSchema ? t("editor.hint.publicCfgSchema") : t("editor.hint.publicCfg")}
            error={err().publicCfg ?? (liveProblems().length ? describe(liveProblems()) : undefined)}
          >
            <Show when={showForm()}>
              <p class="notice notice-error">{t("config.fixJsonFirst")}</p>
            </Show>
            <textarea id="publicCfg" rows={8} spellcheck={false} value={v().publicCfg} onInput={(e) => props.form.set("publicCfg", e.currentTarget.value)} />
          </Field>
        }
      >
        <SchemaForm
          schema={handler()?.paramsJsonSchema}
          value={(parsed() as { ok: true; value: Record<string, unknown> }).value}
          problems={liveProblems()}
          onChange={(next) => props.form.set("publicCfg", JSON.stringify(next, null, 2))}
        />
        <Show when={err().publicCfg ?? (topProblems().length ? describe(topProblems()) : undefined)}>
          {(text) => (
            <p class="field-error" role="alert" data-testid="error-publicCfg">
              {text()}
            </p>
          )}
        </Show>
      </Show>
      <Field for="secretCfg" label={t("editor.field.secretCfg")} hint={t("secret.hint")} error={err().secretCfg}>
        <Show when={props.secretProblem}>
          <p class="field-error">{props.secretProblem}</p>
        </Show>
        <SecretInputs form={props.form} schema={handler()?.secretsJsonSchema} storedKeys={props.secretKeys} editing={props.editing} />
        <Show when={props.editing && props.hasSecrets}>
          <label class="toggle">
            <input type="checkbox" data-testid="clear-secrets" checked={v().clearSecretCfg} onChange={(e) => props.form.set("clearSecretCfg", e.currentTarget.checked)} />
            {t("editor.clearSecrets")}
          </label>
        </Show>
      </Field>
    </fieldset>
  );
};

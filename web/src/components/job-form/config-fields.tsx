import { createMemo, For, Show, type Component } from "solid-js";
import { handlerLabel } from "../../lib/handler-label.ts";
import { createSchemaChecker, parseConfigObject } from "../../lib/json-config.ts";
import type { ResultOf } from "../../lib/graphql.ts";
import type { handlersQuery } from "../../lib/queries/handlers.ts";
import { t } from "../../stores/i18n.ts";
import type { createJobForm } from "../../stores/job-form.ts";
import { Field } from "../field.tsx";

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

/** Handler, its public config checked against the handler's JSON schema while typing, and write-only secrets. */
export const ConfigFields: Component<Props> = (props) => {
  const v = () => props.form.values;
  const err = () => props.form.errors();
  const handler = createMemo(() => props.handlers.find((h) => h.handlerPath === v().handlerPath) ?? null);
  const checkParams = createMemo(() => createSchemaChecker(handler()?.paramsJsonSchema));
  const checkSecrets = createMemo(() => createSchemaChecker(handler()?.secretsJsonSchema));
  const liveProblems = createMemo(() => {
    const parsed = parseConfigObject(v().publicCfg);
    return parsed.ok ? checkParams()(parsed.value) : [parsed.problem];
  });
  const secretProblems = createMemo(() => {
    if (!v().secretCfg.trim()) return [];
    const parsed = parseConfigObject(v().secretCfg);
    return parsed.ok ? checkSecrets()(parsed.value) : [parsed.problem];
  });
  const describe = (problems: { path: string; message: string }[]) =>
    problems.map((p) => (p.path ? `${p.path.slice(1)}: ${p.message}` : p.message)).join("; ");
  const secretFields = createMemo(() => Object.keys(((handler()?.secretsJsonSchema as { properties?: object } | null)?.properties ?? {}) as object));

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
      <Show when={handler()?.description}>
        <p class="handler-desc" data-testid="handler-description">
          {handler()!.description}
        </p>
      </Show>
      <Field
        for="publicCfg"
        label={t("editor.field.publicCfg")}
        hint={handler()?.paramsJsonSchema ? t("editor.hint.publicCfgSchema") : t("editor.hint.publicCfg")}
        error={err().publicCfg ?? (liveProblems().length ? describe(liveProblems()) : undefined)}
      >
        <textarea id="publicCfg" rows={8} spellcheck={false} value={v().publicCfg} onInput={(e) => props.form.set("publicCfg", e.currentTarget.value)} />
      </Field>
      <Field
        for="secretCfg"
        label={t("editor.field.secretCfg")}
        hint={props.editing && props.hasSecrets ? t("editor.hint.secretKeep") : t("editor.hint.secretNew")}
        error={err().secretCfg ?? (secretProblems().length ? describe(secretProblems()) : undefined)}
      >
        <Show when={props.editing && props.hasSecrets}>
          <div class="secret-keys" data-testid="secret-keys">
            <span class="muted">{t("editor.storedSecretKeys")}</span>
            <For each={props.secretKeys} fallback={<span class="muted">{t("editor.noSecretKeys")}</span>}>
              {(key) => <code>{key}</code>}
            </For>
          </div>
        </Show>
        <Show when={props.secretProblem}>
          <p class="field-error">{props.secretProblem}</p>
        </Show>
        <textarea
          id="secretCfg"
          rows={4}
          spellcheck={false}
          autocomplete="off"
          disabled={v().clearSecretCfg}
          placeholder={secretFields().length ? `{ ${secretFields().map((k) => `"${k}": "…"`).join(", ")} }` : "{}"}
          value={v().secretCfg}
          onInput={(e) => props.form.set("secretCfg", e.currentTarget.value)}
        />
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

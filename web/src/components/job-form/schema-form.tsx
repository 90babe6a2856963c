import { createMemo, For, Match, Show, Switch, type Component } from "solid-js";
import { fieldText, localizedText, parseFieldText, schemaFields, withField, type ConfigFieldSpec } from "../../lib/config-schema.ts";
import type { ConfigProblem } from "../../lib/json-config.ts";
import { locale, t } from "../../stores/i18n.ts";

interface Props {
  /** The handler's params JSON Schema. */
  schema: unknown;
  /** The config being edited (parsed from the raw JSON, which stays the one source of truth). */
  value: Record<string, unknown>;
  onChange: (next: Record<string, unknown>) => void;
  /** Live schema problems, by JSON pointer ("/name"). */
  problems: ConfigProblem[];
}

/** The public config as one input per schema property; every change rewrites the raw JSON. */
export const SchemaForm: Component<Props> = (props) => {
  const fields = createMemo(() => schemaFields(props.schema));
  const others = createMemo(() => {
    const known = new Set(fields().map((f) => f.key));
    return Object.keys(props.value).filter((k) => !known.has(k));
  });
  const set = (spec: ConfigFieldSpec, text: string) => {
    const parsed = parseFieldText(spec, text);
    if (parsed !== "invalid") props.onChange(withField(props.value, spec.key, parsed.value));
  };
  const problemOf = (key: string) =>
    props.problems
      .filter((p) => p.path === `/${key}` || p.path.startsWith(`/${key}/`))
      .map((p) => p.message)
      .join("; ");

  return (
    <div class="schema-form" data-testid="schema-form">
      <Show when={fields().length} fallback={<p class="muted">{t("config.noFields")}</p>}>
        <For each={fields()}>
          {(spec) => {
            const id = `cfg-${spec.key}`;
            const description = () => localizedText(spec.description, spec.descriptions, locale());
            const text = () => fieldText(spec, props.value[spec.key]);
            const placeholder = () => (spec.default === undefined ? "" : t("config.default", { value: JSON.stringify(spec.default) }));
            return (
              <div class={problemOf(spec.key) ? "field invalid" : "field"} data-field={id}>
                <label for={id}>
                  <span class="mono">{spec.key}</span>
                  <Show when={spec.required}>
                    <span class="required-mark" title={t("config.required")}>
                      {" "}*
                    </span>
                  </Show>
                </label>
                <Switch>
                  <Match when={spec.kind === "boolean"}>
                    <select id={id} value={text()} onChange={(e) => set(spec, e.currentTarget.value)}>
                      <option value="">{t("config.notSet")}</option>
                      <option value="true">{t("config.true")}</option>
                      <option value="false">{t("config.false")}</option>
                    </select>
                  </Match>
                  <Match when={spec.kind === "enum"}>
                    <select id={id} value={text()} onChange={(e) => set(spec, e.currentTarget.value)}>
                      <option value="">{t("config.notSet")}</option>
                      <For each={spec.options}>{(o) => <option value={JSON.stringify(o)}>{String(o)}</option>}</For>
                    </select>
                  </Match>
                  <Match when={spec.kind === "json"}>
                    <textarea id={id} rows={3} spellcheck={false} placeholder={placeholder() || t("config.jsonValue")} value={text()} onChange={(e) => set(spec, e.currentTarget.value)} />
                  </Match>
                  <Match when={true}>
                    <input
                      id={id}
                      inputmode={spec.kind === "string" ? undefined : "decimal"}
                      placeholder={placeholder()}
                      value={text()}
                      onInput={(e) => set(spec, e.currentTarget.value)}
                    />
                  </Match>
                </Switch>
                <Show when={description()}>
                  <span class="hint" data-testid={`cfg-hint-${spec.key}`}>
                    {description()}
                  </span>
                </Show>
                <Show when={problemOf(spec.key)}>
                  <p class="field-error" data-testid={`error-cfg-${spec.key}`}>
                    {problemOf(spec.key)}
                  </p>
                </Show>
              </div>
            );
          }}
        </For>
      </Show>
      <Show when={others().length}>
        <p class="hint">{t("config.otherKeys", { keys: others().join(", ") })}</p>
      </Show>
    </div>
  );
};

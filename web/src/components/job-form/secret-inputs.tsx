import { createMemo, createSignal, For, Show, type Component } from "solid-js";
import { localizedText, schemaFields } from "../../lib/config-schema.ts";
import { locale, t } from "../../stores/i18n.ts";
import type { createJobForm } from "../../stores/job-form.ts";

interface Props {
  form: ReturnType<typeof createJobForm>;
  /** The handler's secrets JSON Schema: the keys to offer. */
  schema: unknown;
  /** Key names of the stored secret config (values never reach the browser). */
  storedKeys: string[];
  editing: boolean;
}

/**
 * One masked input per secret key (the schema's, the stored ones, and any added): what is typed
 * is sent, a key left empty keeps its stored value. Nothing stored is ever shown.
 */
export const SecretInputs: Component<Props> = (props) => {
  const specs = createMemo(() => schemaFields(props.schema));
  const [added, setAdded] = createSignal<string[]>([]);
  const [newKey, setNewKey] = createSignal("");
  const keys = createMemo(() => [...new Set([...specs().map((s) => s.key), ...props.storedKeys, ...added()])]);
  const stored = (key: string) => props.storedKeys.includes(key);
  const disabled = () => props.form.values.clearSecretCfg;
  const add = () => {
    const key = newKey().trim();
    if (key && !keys().includes(key)) setAdded((list) => [...list, key]);
    setNewKey("");
  };

  return (
    <div class="secret-inputs" data-testid="secret-inputs">
      <For each={keys()}>
        {(key) => {
          const spec = () => specs().find((s) => s.key === key);
          const description = () => localizedText(spec()?.description, spec()?.descriptions, locale());
          const removed = () => Boolean(props.form.values.secretRemoved[key]);
          return (
            <div class="secret-row" data-testid={`secret-row-${key}`}>
              <label for={`secret-${key}`} class="mono">
                {key}
                <Show when={spec()?.required}>
                  <span class="required-mark" title={t("config.required")}>
                    {" "}*
                  </span>
                </Show>
                <Show when={stored(key)}>
                  <span class="badge-soft">{t("secret.stored")}</span>
                </Show>
              </label>
              <input
                id={`secret-${key}`}
                type="password"
                autocomplete="new-password"
                spellcheck={false}
                disabled={disabled() || removed()}
                placeholder={removed() ? t("secret.removed") : stored(key) && props.editing ? t("secret.keep") : t("secret.new")}
                value={props.form.values.secretValues[key] ?? ""}
                onInput={(e) => props.form.setSecret(key, e.currentTarget.value)}
              />
              <Show when={stored(key) && props.editing}>
                <label class="toggle small">
                  <input type="checkbox" data-testid={`secret-remove-${key}`} checked={removed()} disabled={disabled()} onChange={(e) => props.form.setSecretRemoved(key, e.currentTarget.checked)} />
                  {t("secret.remove")}
                </label>
              </Show>
              <Show when={description()}>
                <span class="hint">{description()}</span>
              </Show>
            </div>
          );
        }}
      </For>
      <div class="secret-add">
        <input aria-label={t("secret.newKeyName")} placeholder={t("secret.newKeyName")} class="mono" value={newKey()} disabled={disabled()} onInput={(e) => setNewKey(e.currentTarget.value)} onKeyDown={(e) => e.key === "Enter" && (e.preventDefault(), add())} />
        <button type="button" class="btn btn-small" data-testid="secret-add" disabled={disabled() || !newKey().trim()} onClick={add}>
          {t("secret.addKey")}
        </button>
      </div>
    </div>
  );
};

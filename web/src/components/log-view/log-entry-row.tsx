import { createSignal, For, Show, type Component } from "solid-js";
import type { LogEntry } from "../../lib/log-lines.ts";
import { t } from "../../stores/i18n.ts";

interface Props {
  entry: LogEntry;
  /** Open every line's fields (toolbar switch). */
  expandAll: boolean;
  /** The search text: a line whose field values contain it opens, so its match can be seen. */
  query: string;
}

/** One record: time, level, message, then its fields as key=value chips (a summary of keys until opened). */
export const LogEntryRow: Component<Props> = (props) => {
  const [open, setOpen] = createSignal(false);
  const fieldsMatch = () => {
    const q = props.query.toLowerCase();
    return q !== "" && props.entry.fields.some(([k, v]) => `${k}=${v}`.toLowerCase().includes(q));
  };
  const expanded = () => open() || props.expandAll || fieldsMatch();
  return (
    <div class={`log-entry level-${props.entry.level || "none"}`} data-testid="log-entry">
      <Show when={props.entry.time}>
        {/* Real spaces between the parts: a copied line reads like the raw one. */}
        <span class="log-time" title={props.entry.time}>
          {props.entry.time.slice(11, 23)}
        </span>{" "}
        <span class="log-level">{props.entry.level}</span>{" "}
      </Show>
      <span class="log-msg">{props.entry.message}</span>
      <Show when={props.entry.fields.length > 0}>
        <button
          type="button"
          class="log-fields-toggle"
          data-testid="log-fields-toggle"
          aria-expanded={expanded()}
          title={expanded() ? t("logv.hideFields") : t("logv.showFields")}
          onClick={() => setOpen(!expanded())}
        >
          {expanded() ? "▾" : "▸"} <Show when={!expanded()}>{props.entry.fields.map(([k]) => k).join(" · ")}</Show>
        </button>
        <Show when={expanded()}>
          <span class="log-chips" data-testid="log-chips">
            <For each={props.entry.fields}>
              {([key, value]) => (
                <span class="log-chip" title={`${key}=${value}`}>
                  <span class="k">{key}</span>=<span class="v">{value}</span>
                </span>
              )}
            </For>
          </span>
        </Show>
      </Show>
      <Show when={props.entry.extra}>
        <pre class="log-extra">{props.entry.extra}</pre>
      </Show>
    </div>
  );
};

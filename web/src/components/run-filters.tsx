import { createSignal, For, Show, type Component } from "solid-js";
import { parseWallTimeText, wallTimeText } from "../lib/wall-time-text.ts";
import { t } from "../stores/i18n.ts";
import { RUN_TRIGGER_KEYS, STATUS_KEYS, type RunStatus, type RunTriggerName } from "./labels.tsx";

export interface RunFilterParams {
  job?: string;
  status?: string;
  trigger?: string;
  /** datetime-local values, read in the server's zone. */
  from?: string;
  to?: string;
  [key: string]: string | undefined;
}

interface Props {
  params: RunFilterParams;
  onChange: (patch: Partial<RunFilterParams>) => void;
}

export const RunFilters: Component<Props> = (props) => (
  <div class="filters">
    <input
      type="search"
      placeholder={t("runs.filter.job")}
      aria-label={t("runs.filter.job")}
      value={props.params.job ?? ""}
      onChange={(e) => props.onChange({ job: e.currentTarget.value.trim() })}
    />
    <select aria-label={t("runs.filter.status")} value={props.params.status ?? ""} onChange={(e) => props.onChange({ status: e.currentTarget.value })}>
      <option value="">{t("runs.filter.anyStatus")}</option>
      <For each={Object.keys(STATUS_KEYS) as RunStatus[]}>{(s) => <option value={s}>{t(STATUS_KEYS[s])}</option>}</For>
    </select>
    <select aria-label={t("runs.filter.trigger")} value={props.params.trigger ?? ""} onChange={(e) => props.onChange({ trigger: e.currentTarget.value })}>
      <option value="">{t("runs.filter.anyTrigger")}</option>
      <For each={Object.keys(RUN_TRIGGER_KEYS) as RunTriggerName[]}>{(s) => <option value={s}>{t(RUN_TRIGGER_KEYS[s])}</option>}</For>
    </select>
    <WallTimeFilter label={t("runs.filter.from")} testId="filter-from" value={props.params.from} onChange={(from) => props.onChange({ from })} />
    <WallTimeFilter label={t("runs.filter.to")} testId="filter-to" endOfDay value={props.params.to} onChange={(to) => props.onChange({ to })} />
  </div>
);

/** A date-time typed as text in the admin's own order (not the browser's mm/dd/yyyy); a bad one is marked, not sent. */
const WallTimeFilter: Component<{ label: string; testId: string; value?: string; endOfDay?: boolean; onChange: (wall: string) => void }> = (props) => {
  const [invalid, setInvalid] = createSignal(false);
  return (
    <label class={invalid() ? "toggle invalid" : "toggle"}>
      {props.label}
      <input
        type="text"
        class="date-text"
        inputmode="numeric"
        data-testid={props.testId}
        placeholder={t("runs.filter.datePlaceholder")}
        title={invalid() ? t("runs.filter.dateInvalid") : t("runs.filter.dateHint")}
        aria-invalid={invalid()}
        value={wallTimeText(props.value)}
        onChange={(e) => {
          const wall = parseWallTimeText(e.currentTarget.value, props.endOfDay);
          setInvalid(wall === "invalid");
          if (wall !== "invalid") props.onChange(wall ?? "");
        }}
      />
      <Show when={invalid()}>
        <span class="field-error" data-testid={`${props.testId}-error`}>
          {t("runs.filter.dateInvalid")}
        </span>
      </Show>
    </label>
  );
};

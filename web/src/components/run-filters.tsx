import { For, type Component } from "solid-js";
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
    <label class="toggle">
      {t("runs.filter.from")}
      <input type="datetime-local" value={props.params.from ?? ""} onChange={(e) => props.onChange({ from: e.currentTarget.value })} />
    </label>
    <label class="toggle">
      {t("runs.filter.to")}
      <input type="datetime-local" value={props.params.to ?? ""} onChange={(e) => props.onChange({ to: e.currentTarget.value })} />
    </label>
  </div>
);

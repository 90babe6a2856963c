import { createQuery } from "@urql/solid";
import { createMemo, For, Match, Show, Switch, type Component } from "solid-js";
import { formatInstant, wallTimeToInstant } from "../../lib/format.ts";
import { triggerPreviewQuery } from "../../lib/queries/job-editor.ts";
import { describeTrigger } from "../../lib/trigger-words.ts";
import { useApp } from "../../stores/app-context.ts";
import { createDebounced } from "../../stores/debounced.ts";
import { t } from "../../stores/i18n.ts";
import type { createJobForm, TriggerType } from "../../stores/job-form.ts";
import { Field } from "../field.tsx";

interface Props {
  form: ReturnType<typeof createJobForm>;
}

const TYPES: { value: TriggerType; key: "triggerType.CRON" | "triggerType.INTERVAL" | "triggerType.DATE" }[] = [
  { value: "CRON", key: "triggerType.CRON" },
  { value: "INTERVAL", key: "triggerType.INTERVAL" },
  { value: "DATE", key: "triggerType.DATE" },
];

/** Trigger type, its settings and zone, with the next five fire times computed by the server as you type. */
export const TriggerFields: Component<Props> = (props) => {
  const app = useApp();
  const v = () => props.form.values;
  const err = () => props.form.errors();
  const zone = () => v().timezone.trim() || app.zone();

  const previewInput = createMemo(() => {
    const interval = /^\d+$/.test(v().intervalSeconds.trim()) ? Number(v().intervalSeconds) : null;
    return {
      triggerType: v().triggerType,
      cronExpr: v().triggerType === "CRON" ? v().cronExpr.trim() : null,
      intervalSeconds: v().triggerType === "INTERVAL" ? interval : null,
      startAt: v().startAt ? wallTimeToInstant(v().startAt, zone()) : null,
      timezone: v().timezone.trim() || null,
      count: 5,
    };
  });
  const settled = createDebounced(previewInput, 350);
  const [preview] = createQuery({ query: triggerPreviewQuery, variables: () => ({ input: settled() }), requestPolicy: "network-only" });
  const result = () => preview.data?.triggerPreview;
  const instants = () => {
    const r = result();
    return r?.__typename === "QueryTriggerPreviewSuccess" ? r.data : null;
  };
  const problem = () => {
    const r = result();
    return r?.__typename === "TriggerInvalidError" ? r : null;
  };
  // The server names the field at fault; show it there, and under the preview.
  const fieldProblem = (field: string) => (problem()?.field === field ? problem()!.message : undefined);

  return (
    <fieldset class="panel">
      <h2>{t("editor.section.trigger")}</h2>
      <div class="field" role="radiogroup" aria-label={t("editor.field.triggerType")}>
        <span>{t("editor.field.triggerType")}</span>
        <div class="row-actions">
          <For each={TYPES}>
            {(type) => (
              <label class="toggle">
                <input
                  type="radio"
                  name="triggerType"
                  value={type.value}
                  checked={v().triggerType === type.value}
                  onChange={() => props.form.set("triggerType", type.value)}
                />
                {t(type.key)}
              </label>
            )}
          </For>
        </div>
      </div>
      <div class="form-grid">
        <Switch>
          <Match when={v().triggerType === "CRON"}>
            <Field for="cronExpr" label={t("editor.field.cronExpr")} hint={t("editor.hint.cronExpr")} error={err().cronExpr ?? fieldProblem("cronExpr")}>
              <input id="cronExpr" class="mono" value={v().cronExpr} onInput={(e) => props.form.set("cronExpr", e.currentTarget.value)} />
            </Field>
          </Match>
          <Match when={v().triggerType === "INTERVAL"}>
            <Field
              for="intervalSeconds"
              label={t("editor.field.intervalSeconds")}
              hint={t("editor.hint.intervalSeconds")}
              error={err().intervalSeconds ?? fieldProblem("intervalSeconds")}
            >
              <input id="intervalSeconds" inputmode="numeric" value={v().intervalSeconds} onInput={(e) => props.form.set("intervalSeconds", e.currentTarget.value)} />
            </Field>
          </Match>
        </Switch>
        <Show when={v().triggerType !== "CRON"}>
          <Field
            for="startAt"
            label={v().triggerType === "DATE" ? t("editor.field.runAt") : t("editor.field.anchor")}
            hint={t("editor.hint.startAt", { zone: zone() })}
            error={err().startAt ?? fieldProblem("startAt")}
          >
            <input id="startAt" type="datetime-local" step="1" value={v().startAt} onInput={(e) => props.form.set("startAt", e.currentTarget.value)} />
          </Field>
        </Show>
        <Field for="timezone" label={t("editor.field.timezone")} hint={t("editor.hint.timezone", { zone: app.zone() })} error={err().timezone ?? fieldProblem("timezone")}>
          <input id="timezone" list="known-zones" placeholder={app.zone()} value={v().timezone} onInput={(e) => props.form.set("timezone", e.currentTarget.value)} />
        </Field>
      </div>
      <datalist id="known-zones">
        <For each={["Asia/Shanghai", "UTC", "Asia/Hong_Kong", "Asia/Tokyo", "Europe/London", "America/New_York"]}>{(z) => <option value={z} />}</For>
      </datalist>
      <div class="field" data-testid="trigger-preview">
        <span>{t("editor.preview.title", { zone: zone() })}</span>
        <Switch fallback={<span class="hint">{t("common.loading")}</span>}>
          <Match when={problem()}>
            <p class="field-error" data-testid="preview-error">
              {t("editor.preview.invalid")}
            </p>
          </Match>
          <Match when={preview.error}>
            <p class="field-error">{preview.error!.message}</p>
          </Match>
          <Match when={instants()?.length === 0}>
            <span class="hint">{t("editor.preview.none")}</span>
          </Match>
          <Match when={instants()}>
            <span class="hint">{describeTrigger(settled(), (iso) => formatInstant(iso, zone()))}</span>
            <ol class="preview-list">
              <For each={instants()}>{(instant) => <li>{formatInstant(instant, zone())}</li>}</For>
            </ol>
          </Match>
        </Switch>
      </div>
    </fieldset>
  );
};

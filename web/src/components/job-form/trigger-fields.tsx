import { createQuery } from "@urql/solid";
import { createMemo, For, Match, Show, Switch, type Component } from "solid-js";
import { triggerProblemText } from "../../lib/coded-text.ts";
import { formatInstant } from "../../lib/format.ts";
import { parseWallTimeText, wallTextToInstant } from "../../lib/wall-time-text.ts";
import { triggerPreviewQuery } from "../../lib/queries/job-definition.ts";
import { describeTrigger } from "../../lib/trigger-words.ts";
import { useApp } from "../../stores/app-context.ts";
import { createDebounced } from "../../stores/debounced.ts";
import { t } from "../../stores/i18n.ts";
import type { createJobForm, JobFormValues, TriggerType } from "../../stores/job-form.ts";
import { Field } from "../field.tsx";

interface Props {
  form: ReturnType<typeof createJobForm>;
}

const TYPES: { value: TriggerType; key: "triggerType.CRON" | "triggerType.INTERVAL" | "triggerType.DATE" }[] = [
  { value: "CRON", key: "triggerType.CRON" },
  { value: "INTERVAL", key: "triggerType.INTERVAL" },
  { value: "DATE", key: "triggerType.DATE" },
];

const SHOWN_FIELDS: Record<TriggerType, string[]> = {
  CRON: ["cronExpr", "timezone"],
  INTERVAL: ["intervalSeconds", "startAt", "timezone"],
  DATE: ["startAt", "timezone"],
};

function fieldLabel(field: string, type: TriggerType): string {
  if (field === "startAt") return type === "DATE" ? t("editor.field.runAt") : t("editor.field.anchor");
  const keys = { cronExpr: "editor.field.cronExpr", intervalSeconds: "editor.field.intervalSeconds", timezone: "editor.field.timezone" } as const;
  return field in keys ? t(keys[field as keyof typeof keys]) : field;
}

interface Problem {
  field: string;
  message: string;
  /** A value not typed yet: the preview waits for it without marking the field red. */
  missing?: boolean;
}

/** Problems the form knows of itself: a missing or malformed value of a shown field. */
function localTriggerProblem(v: JobFormValues): Problem | null {
  if (v.triggerType === "CRON" && !v.cronExpr.trim()) return { field: "cronExpr", message: t("editor.error.cronRequired"), missing: true };
  if (v.triggerType === "INTERVAL" && !v.intervalSeconds.trim()) return { field: "intervalSeconds", message: t("editor.error.intervalRequired"), missing: true };
  if (v.triggerType === "INTERVAL" && !/^\d+$/.test(v.intervalSeconds.trim())) return { field: "intervalSeconds", message: t("editor.error.wholeSeconds") };
  if (v.triggerType === "INTERVAL" && Number(v.intervalSeconds) < 1) return { field: "intervalSeconds", message: t("editor.error.intervalPositive") };
  if (v.triggerType === "DATE" && !v.startAt.trim()) return { field: "startAt", message: t("editor.error.dateRequired"), missing: true };
  if (v.triggerType !== "CRON" && parseWallTimeText(v.startAt) === "invalid") return { field: "startAt", message: t("editor.error.dateTimeFormat") };
  return null;
}

/** Trigger type, its settings and zone, with the next five fire times computed by the server as you type. */
export const TriggerFields: Component<Props> = (props) => {
  const app = useApp();
  const v = () => props.form.values;
  const err = () => props.form.errors();
  const zone = () => v().timezone.trim() || app.zone();

  const typedInstant = () => {
    const instant = wallTextToInstant(v().startAt, zone());
    return instant === "invalid" ? null : instant;
  };
  const previewInput = createMemo(() => {
    const interval = /^\d+$/.test(v().intervalSeconds.trim()) ? Number(v().intervalSeconds) : null;
    return {
      triggerType: v().triggerType,
      cronExpr: v().triggerType === "CRON" ? v().cronExpr.trim() : null,
      intervalSeconds: v().triggerType === "INTERVAL" ? interval : null,
      startAt: v().triggerType !== "CRON" ? typedInstant() : null,
      timezone: v().timezone.trim() || null,
      count: 5,
    };
  });
  // What the form can tell without the server, in the UI's language; the server is asked only when none.
  const localProblem = createMemo(() => localTriggerProblem(v()));
  const settled = createDebounced(previewInput, 350);
  const [preview] = createQuery({
    query: triggerPreviewQuery,
    variables: () => ({ input: settled() }),
    // Also while typing settles: a stale input's answer would flash a problem already fixed.
    pause: () => localProblem() !== null || settled() !== previewInput(),
    requestPolicy: "network-only",
  });
  // Only an answer for what the fields say now is shown: while typing settles or a query is out, none.
  const result = () => (settled() === previewInput() && !preview.fetching ? preview.data?.triggerPreview : undefined);
  const instants = () => {
    const r = result();
    return r?.__typename === "QueryTriggerPreviewSuccess" ? r.data : null;
  };
  const problem = (): Problem | null => {
    if (localProblem()) return localProblem();
    const r = result();
    // Worded while rendering, so it follows a language switch.
    return r?.__typename === "TriggerInvalidError" ? { field: r.field, message: triggerProblemText(r) } : null;
  };
  // The field at fault is marked with the problem; the preview names it (or says it, if no field shows it).
  const fieldProblem = (field: string) => (problem()?.field === field && !problem()!.missing ? problem()!.message : undefined);
  const previewProblem = () => {
    const p = problem()!;
    if (p.missing) return p.message;
    return SHOWN_FIELDS[v().triggerType].includes(p.field) ? t("editor.preview.invalidField", { field: fieldLabel(p.field, v().triggerType) }) : p.message;
  };

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
            hint={v().triggerType === "INTERVAL" ? t("editor.hint.anchor", { zone: zone() }) : t("editor.hint.startAt", { zone: zone() })}
            error={err().startAt ?? fieldProblem("startAt")}
          >
            {/* Text in the admin's own date order: a datetime-local input follows the browser's locale instead. */}
            <input id="startAt" class="mono" inputmode="numeric" placeholder={t("editor.placeholder.dateTime")} value={v().startAt} onInput={(e) => props.form.set("startAt", e.currentTarget.value)} />
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
            <p class={problem()!.missing ? "hint" : "field-error"} data-testid={problem()!.missing ? "preview-waiting" : "preview-error"} data-problem-field={problem()!.field}>
              {previewProblem()}
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
            <Show when={settled().triggerType === "INTERVAL" && !settled().startAt}>
              <span class="hint" data-testid="anchor-note">
                {t("editor.preview.anchorOnSave")}
              </span>
            </Show>
            <ol class="preview-list">
              <For each={instants()}>{(instant) => <li>{formatInstant(instant, zone())}</li>}</For>
            </ol>
          </Match>
        </Switch>
      </div>
    </fieldset>
  );
};

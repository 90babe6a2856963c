import { For, Show, type Component } from "solid-js";
import { t } from "../../stores/i18n.ts";
import type { createJobForm, WebhookFormat, WebhookWhen } from "../../stores/job-form.ts";
import { Field } from "../field.tsx";

interface Props {
  form: ReturnType<typeof createJobForm>;
  hasWebhookSecret: boolean;
  editing: boolean;
}

const FORMATS: WebhookFormat[] = ["JSON", "DINGTALK", "WECOM", "FEISHU"];

/** Execution limits and the completion webhook (its token and signing secret are write-only). */
export const RunFields: Component<Props> = (props) => {
  const v = () => props.form.values;
  const err = () => props.form.errors();
  return (
    <>
      <fieldset class="panel">
        <h2>{t("editor.section.execution")}</h2>
        <div class="form-grid">
          <Field for="timeoutSeconds" label={t("editor.field.timeoutSeconds")} hint={t("editor.hint.timeoutSeconds")} error={err().timeoutSeconds}>
            <input id="timeoutSeconds" inputmode="numeric" value={v().timeoutSeconds} onInput={(e) => props.form.set("timeoutSeconds", e.currentTarget.value)} />
          </Field>
          <Field for="misfireGraceSeconds" label={t("editor.field.misfireGraceSeconds")} hint={t("editor.hint.misfireGraceSeconds")} error={err().misfireGraceSeconds}>
            <input
              id="misfireGraceSeconds"
              inputmode="numeric"
              value={v().misfireGraceSeconds}
              onInput={(e) => props.form.set("misfireGraceSeconds", e.currentTarget.value)}
            />
          </Field>
          <Field for="keepLastRuns" label={t("editor.field.keepLastRuns")} hint={t("editor.hint.keepLastRuns")} error={err().keepLastRuns}>
            <input id="keepLastRuns" inputmode="numeric" value={v().keepLastRuns} onInput={(e) => props.form.set("keepLastRuns", e.currentTarget.value)} />
          </Field>
        </div>
        <label class="toggle">
          <input type="checkbox" checked={v().allowOverlap} onChange={(e) => props.form.set("allowOverlap", e.currentTarget.checked)} />
          {t("editor.field.allowOverlap")}
        </label>
        <p class="hint muted">{t("editor.hint.allowOverlap")}</p>
      </fieldset>
      <fieldset class="panel">
        <h2>{t("editor.section.webhook")}</h2>
        <Field for="webhookUrl" label={t("editor.field.webhookUrl")} hint={t("editor.hint.webhookUrl")} error={err().webhookUrl}>
          <input id="webhookUrl" type="url" placeholder="https://" value={v().webhookUrl} onInput={(e) => props.form.set("webhookUrl", e.currentTarget.value)} />
        </Field>
        <div class="form-grid">
          <Field for="webhookFormat" label={t("editor.field.webhookFormat")} error={err().webhookFormat}>
            <select id="webhookFormat" value={v().webhookFormat} onChange={(e) => props.form.set("webhookFormat", e.currentTarget.value as WebhookFormat)}>
              <For each={FORMATS}>{(f) => <option value={f}>{f}</option>}</For>
            </select>
          </Field>
          <Field for="webhookWhen" label={t("editor.field.webhookWhen")} error={err().webhookWhen}>
            <select id="webhookWhen" value={v().webhookWhen} onChange={(e) => props.form.set("webhookWhen", e.currentTarget.value as WebhookWhen)}>
              <option value="FAILURE">{t("editor.webhookWhen.FAILURE")}</option>
              <option value="ALWAYS">{t("editor.webhookWhen.ALWAYS")}</option>
            </select>
          </Field>
          <Field
            for="webhookBearerToken"
            label={t("editor.field.webhookBearerToken")}
            hint={props.hasWebhookSecret ? t("editor.hint.secretKeep") : undefined}
            error={err().webhookBearerToken}
          >
            <input
              id="webhookBearerToken"
              type="password"
              autocomplete="new-password"
              disabled={v().clearWebhookSecret}
              value={v().webhookBearerToken}
              onInput={(e) => props.form.set("webhookBearerToken", e.currentTarget.value)}
            />
          </Field>
          <Field for="webhookSigningSecret" label={t("editor.field.webhookSigningSecret")} hint={props.hasWebhookSecret ? t("editor.hint.secretKeep") : undefined}>
            <input
              id="webhookSigningSecret"
              type="password"
              autocomplete="new-password"
              disabled={v().clearWebhookSecret}
              value={v().webhookSigningSecret}
              onInput={(e) => props.form.set("webhookSigningSecret", e.currentTarget.value)}
            />
          </Field>
        </div>
        <Show when={props.editing && props.hasWebhookSecret}>
          <label class="toggle">
            <input type="checkbox" checked={v().clearWebhookSecret} onChange={(e) => props.form.set("clearWebhookSecret", e.currentTarget.checked)} />
            {t("editor.clearWebhookSecret")}
          </label>
        </Show>
      </fieldset>
    </>
  );
};

import { Show, type Component } from "solid-js";
import { t } from "../stores/i18n.ts";

export const Loading: Component<{ label?: string }> = (props) => (
  <div class="state state-loading" role="status" aria-live="polite">
    <span class="spinner" aria-hidden="true" />
    {props.label ?? t("common.loading")}
  </div>
);

export const Empty: Component<{ title: string; hint?: string }> = (props) => (
  <div class="state state-empty">
    <strong>{props.title}</strong>
    <Show when={props.hint}>
      <p>{props.hint}</p>
    </Show>
  </div>
);

export const ErrorState: Component<{ message: string; onRetry?: () => void }> = (props) => (
  <div class="state state-error" role="alert">
    <strong>{t("common.errorTitle")}</strong>
    <p>{props.message}</p>
    <Show when={props.onRetry}>
      <button type="button" class="btn" onClick={() => props.onRetry?.()}>
        {t("common.retryLoad")}
      </button>
    </Show>
  </div>
);

/** The signed-in user's role does not allow this screen: a notice, not an error. */
export const NotAllowed: Component<{ message: string }> = (props) => (
  <div class="state state-forbidden" role="status" data-testid="not-allowed">
    <strong>{t("common.notAllowedTitle")}</strong>
    <p>{props.message}</p>
  </div>
);

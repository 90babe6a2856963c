import { createSignal, For, Show, type Component } from "solid-js";
import { t } from "../stores/i18n.ts";

export interface ConfirmRequest {
  title: string;
  /** What will happen, including what is removed and what is kept. */
  body: string;
  details?: string[];
  confirmLabel: string;
  danger?: boolean;
}

const [request, setRequest] = createSignal<(ConfirmRequest & { resolve: (ok: boolean) => void }) | null>(null);

/** Asks before a destructive or consequential action; resolves true when the user confirms. */
export function confirmAction(req: ConfirmRequest): Promise<boolean> {
  request()?.resolve(false);
  return new Promise((resolve) => setRequest({ ...req, resolve }));
}

export const ConfirmDialog: Component = () => {
  const close = (ok: boolean) => {
    request()?.resolve(ok);
    setRequest(null);
  };
  return (
    <Show when={request()}>
      {(req) => (
        <dialog
          class="confirm"
          ref={(el) => queueMicrotask(() => el.isConnected && !el.open && el.showModal())}
          onCancel={(e) => {
            e.preventDefault();
            close(false);
          }}
          data-testid="confirm-dialog"
        >
          <h2>{req().title}</h2>
          <p>{req().body}</p>
          <Show when={req().details?.length}>
            <ul>
              <For each={req().details}>{(d) => <li>{d}</li>}</For>
            </ul>
          </Show>
          <div class="form-actions">
            {/* "Back", not "Cancel": next to "Cancel run" the two read alike. */}
            <button type="button" class="btn" data-testid="confirm-back" onClick={() => close(false)}>
              {t("common.back")}
            </button>
            <button type="button" class={req().danger ? "btn btn-danger solid" : "btn btn-primary"} data-testid="confirm-ok" onClick={() => close(true)}>
              {req().confirmLabel}
            </button>
          </div>
        </dialog>
      )}
    </Show>
  );
};

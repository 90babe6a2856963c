import { createSignal, For, type Component } from "solid-js";

interface Toast {
  id: number;
  kind: "ok" | "error";
  /** Read while rendering, so a toast built from the catalogue follows a language switch. */
  text: () => string;
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
let nextId = 1;

/**
 * Shows a short confirmation or failure message in the corner for a few seconds. Pass a function
 * (`() => t(…)`, `() => errorMessage(e)`) so the toast re-renders in the language switched to.
 */
export function toast(kind: Toast["kind"], text: string | (() => string)): void {
  const id = nextId++;
  setToasts((list) => [...list, { id, kind, text: typeof text === "function" ? text : () => text }]);
  setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), kind === "error" ? 8000 : 4000);
}

export const ToastArea: Component = () => (
  <div class="toast-area" aria-live="polite">
    <For each={toasts()}>
      {(item) => (
        <p class={item.kind === "error" ? "notice notice-error" : "notice notice-ok"} role={item.kind === "error" ? "alert" : "status"}>
          {item.text()}
        </p>
      )}
    </For>
  </div>
);

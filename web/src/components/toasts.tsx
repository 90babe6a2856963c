import { createSignal, For, type Component } from "solid-js";

interface Toast {
  id: number;
  kind: "ok" | "error";
  text: string;
}

const [toasts, setToasts] = createSignal<Toast[]>([]);
let nextId = 1;

/** Shows a short confirmation or failure message in the corner for a few seconds. */
export function toast(kind: Toast["kind"], text: string): void {
  const id = nextId++;
  setToasts((list) => [...list, { id, kind, text }]);
  setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), kind === "error" ? 8000 : 4000);
}

export const ToastArea: Component = () => (
  <div class="toast-area" aria-live="polite">
    <For each={toasts()}>
      {(item) => (
        <p class={item.kind === "error" ? "notice notice-error" : "notice notice-ok"} role={item.kind === "error" ? "alert" : "status"}>
          {item.text}
        </p>
      )}
    </For>
  </div>
);

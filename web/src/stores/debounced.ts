import { createEffect, createSignal, on, onCleanup, type Accessor } from "solid-js";

/** `source`, settled: changes only after it stopped changing for `ms` (typing does not flood the server). */
export function createDebounced<T>(source: Accessor<T>, ms: number): Accessor<T> {
  const [value, setValue] = createSignal<T>(source());
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(
      source,
      (next) => {
        clearTimeout(timer);
        timer = setTimeout(() => setValue(() => next), ms);
      },
      { defer: true },
    ),
  );
  onCleanup(() => clearTimeout(timer));
  return value;
}

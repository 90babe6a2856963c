import { debounce } from "@solid-primitives/scheduled";
import { createEffect, createSignal, on, type Accessor } from "solid-js";

/** `source`, settled: changes only after it stopped changing for `ms` (typing does not flood the server). */
export function createDebounced<T>(source: Accessor<T>, ms: number): Accessor<T> {
  const [value, setValue] = createSignal<T>(source());
  // Cleared when the owning component is disposed (the primitive registers its own cleanup).
  const settle = debounce((next: T) => setValue(() => next), ms);
  createEffect(on(source, settle, { defer: true }));
  return value;
}

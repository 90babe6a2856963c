import { onCleanup } from "solid-js";

/** Runs `fn` at most once per `ms`, trailing call included; cancelled with the owning component. */
export function createThrottle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  onCleanup(() => clearTimeout(timer));
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      fn();
    }, wait);
  };
}

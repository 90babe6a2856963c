import { createSignal } from "solid-js";

/** Forward-only relay cursors made into prev/next pages: remembers the cursor each page started at. */
export function createCursorPages() {
  const [starts, setStarts] = createSignal<(string | null)[]>([null]);
  return {
    page: () => starts().length,
    after: () => starts()[starts().length - 1] ?? null,
    next(endCursor: string | null | undefined) {
      if (endCursor) setStarts((s) => [...s, endCursor]);
    },
    prev() {
      setStarts((s) => (s.length > 1 ? s.slice(0, -1) : s));
    },
    reset() {
      setStarts([null]);
    },
  };
}

// Search highlighting with the CSS Custom Highlight API: ranges over the text already on screen, so
// the log's DOM (plain text nodes appended per frame) is never rewritten to mark a match.

const ALL = "log-match";
const CURRENT = "log-match-current";
/** Beyond this many matches the rest are not marked (the count says "1000+"). */
export const MAX_MARKED = 1000;

interface HighlightRegistry {
  set(name: string, highlight: unknown): void;
  delete(name: string): void;
}
type HighlightCtor = new (...ranges: Range[]) => unknown;

function registry(): { highlights: HighlightRegistry; Highlight: HighlightCtor } | null {
  const css = (globalThis as { CSS?: { highlights?: HighlightRegistry } }).CSS;
  const Highlight = (globalThis as { Highlight?: HighlightCtor }).Highlight;
  return css?.highlights && Highlight ? { highlights: css.highlights, Highlight } : null;
}

/** Every case-insensitive occurrence of `query` in the text under `root`, in document order. */
export function findRanges(root: Node, query: string): Range[] {
  const needle = query.toLowerCase();
  if (!needle) return [];
  const ranges: Range[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node && ranges.length < MAX_MARKED; node = walker.nextNode()) {
    const text = (node.nodeValue ?? "").toLowerCase();
    for (let at = text.indexOf(needle); at >= 0 && ranges.length < MAX_MARKED; at = text.indexOf(needle, at + needle.length)) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      ranges.push(range);
    }
  }
  return ranges;
}

export function markRanges(ranges: readonly Range[], current: number): void {
  const r = registry();
  if (!r) return;
  r.highlights.set(ALL, new r.Highlight(...ranges));
  if (ranges[current]) r.highlights.set(CURRENT, new r.Highlight(ranges[current]));
  else r.highlights.delete(CURRENT);
}

export function clearMarks(): void {
  const r = registry();
  r?.highlights.delete(ALL);
  r?.highlights.delete(CURRENT);
}

/** Scrolls `scroller` (not the page) so the range sits in its middle. */
export function scrollRangeIntoView(scroller: HTMLElement, range: Range): void {
  const box = range.getBoundingClientRect();
  const view = scroller.getBoundingClientRect();
  if (box.top >= view.top + 8 && box.bottom <= view.bottom - 8) return;
  scroller.scrollTop += box.top - view.top - scroller.clientHeight / 2;
}

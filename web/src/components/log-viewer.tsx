import { createEffect, createSignal, For, on, onCleanup, onMount, Show, type Component } from "solid-js";
import { clearMarks, findRanges, markRanges, scrollRangeIntoView } from "../lib/log-highlight.ts";
import { createLineParser, type LogEntry, type ParseUpdate } from "../lib/log-lines.ts";
import { t } from "../stores/i18n.ts";
import { LogEntryRow } from "./log-view/log-entry-row.tsx";
import { LogSearchBox } from "./log-view/log-search-box.tsx";
import "./log-view/log-viewer.css";
import "./segmented.css";

/** What the run page holds to feed the viewer without going through Solid's reactivity per chunk. */
export interface LogSink {
  /** Replaces everything shown (first load, or after a gap forced a refetch). */
  reset(text: string): void;
  /** Appends a chunk; chunks arriving within one frame are written to the DOM together. */
  append(text: string): void;
}

interface Props {
  ref: (sink: LogSink) => void;
  /** Shown while nothing has been written. */
  emptyLabel: string;
  live: boolean;
  /** Saves the whole stored log (not only what this page received). */
  onDownload?: () => Promise<void>;
}

// Near-bottom tolerance so sub-pixel rounding does not count as "the user scrolled up".
const BOTTOM_SLACK_PX = 24;

/**
 * The run log, two ways: as records (time, level, message, fields as chips) and as the raw text. The
 * raw view is plain DOM text nodes: a 200 KB log streamed in small chunks costs one text-node append
 * per animation frame. The records view appends only the lines each frame completed.
 */
export const LogViewer: Component<Props> = (props) => {
  let raw!: HTMLPreElement;
  let lines!: HTMLDivElement;
  const [view, setView] = createSignal<"lines" | "raw">("lines");
  const [follow, setFollow] = createSignal(true);
  const [isEmpty, setIsEmpty] = createSignal(true);
  const [entries, setEntries] = createSignal<LogEntry[]>([]);
  const [expandAll, setExpandAll] = createSignal(false);
  const [query, setQuery] = createSignal("");
  const [matches, setMatches] = createSignal<Range[]>([]);
  const [current, setCurrent] = createSignal(0);
  const [downloading, setDownloading] = createSignal(false);
  const parser = createLineParser();
  let pending: string[] = [];
  let frame = 0;
  let live = props.live;

  const scroller = () => (view() === "raw" ? raw : lines);
  const scrollToEnd = () => {
    if (follow()) scroller().scrollTop = scroller().scrollHeight;
  };
  const apply = (update: ParseUpdate, replace = false) => {
    if (!replace && !update.replacedLast && update.appended.length === 0) return;
    setEntries((prev) => {
      const base = replace ? [] : update.replacedLast ? [...prev.slice(0, -1), update.replacedLast] : prev;
      return update.appended.length ? [...base, ...update.appended] : base === prev ? [...prev] : base;
    });
  };
  /** A finished log's last line may lack its newline: show it too. */
  const finishTail = () => {
    if (!live) apply(parser.end());
  };
  const flush = () => {
    frame = 0;
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    raw.append(document.createTextNode(text));
    apply(parser.feed(text));
    finishTail();
    setIsEmpty(false);
    scrollToEnd();
    refreshSearch(false);
  };

  const sink: LogSink = {
    reset(text) {
      pending = [];
      raw.textContent = text;
      parser.reset();
      apply(parser.feed(text), true);
      finishTail();
      setIsEmpty(text.length === 0);
      scrollToEnd();
      refreshSearch(false);
    },
    append(text) {
      if (!text) return;
      pending.push(text);
      if (!frame) frame = requestAnimationFrame(flush);
    },
  };

  // Search: marks every match in the shown view; `jump` moves to the current one.
  let searchFrame = 0;
  function refreshSearch(jump: boolean) {
    if (searchFrame) cancelAnimationFrame(searchFrame);
    // After Solid has rendered the lines (and opened the ones whose fields match).
    searchFrame = requestAnimationFrame(() => {
      searchFrame = 0;
      const q = query();
      if (!q) {
        clearMarks();
        setMatches([]);
        return;
      }
      raw.normalize();
      const found = findRanges(scroller(), q);
      setMatches(found);
      const at = Math.min(current(), Math.max(0, found.length - 1));
      setCurrent(at);
      markRanges(found, at);
      if (jump && found[at]) scrollRangeIntoView(scroller(), found[at]);
    });
  }
  const step = (delta: 1 | -1) => {
    const n = matches().length;
    if (!n) return;
    const next = (current() + delta + n) % n;
    setCurrent(next);
    setFollow(false);
    markRanges(matches(), next);
    scrollRangeIntoView(scroller(), matches()[next]!);
  };
  createEffect(
    on([query, view, expandAll], () => {
      setCurrent(0);
      if (query()) setFollow(false);
      refreshSearch(true);
    }, { defer: true }),
  );
  // The other view was not scrolled while hidden: bring it to the end when following.
  createEffect(on(view, () => requestAnimationFrame(scrollToEnd), { defer: true }));
  createEffect(() => {
    live = props.live;
    if (!live) finishTail();
  });

  const onScroll = () => {
    const el = scroller();
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX;
    if (!atBottom && follow()) setFollow(false);
    else if (atBottom && !follow() && !query()) setFollow(true);
  };

  const download = async () => {
    if (!props.onDownload) return;
    setDownloading(true);
    try {
      await props.onDownload();
    } finally {
      setDownloading(false);
    }
  };

  onMount(() => props.ref(sink));
  onCleanup(() => {
    if (frame) cancelAnimationFrame(frame);
    if (searchFrame) cancelAnimationFrame(searchFrame);
    clearMarks();
  });

  return (
    <div class="log-viewer">
      <div class="log-toolbar">
        <span class="group">
          <span class={props.live ? "live-dot on" : "live-dot"}>{props.live ? t("log.live") : t("log.finished")}</span>
          <span class="segmented" role="group" aria-label={t("logv.view")}>
            <button type="button" class={view() === "lines" ? "on" : ""} aria-pressed={view() === "lines"} data-testid="log-view-lines" onClick={() => setView("lines")}>
              {t("logv.lines")}
            </button>
            <button type="button" class={view() === "raw" ? "on" : ""} aria-pressed={view() === "raw"} data-testid="log-view-raw" onClick={() => setView("raw")}>
              {t("logv.raw")}
            </button>
          </span>
          <Show when={view() === "lines"}>
            <label class="toggle">
              <input type="checkbox" data-testid="log-expand-all" checked={expandAll()} onChange={(e) => setExpandAll(e.currentTarget.checked)} />
              {t("logv.expandAll")}
            </label>
          </Show>
        </span>
        <span class="group">
          <LogSearchBox query={query()} onQuery={setQuery} count={matches().length} current={current()} onStep={step} />
          <label class="toggle">
            <input
              type="checkbox"
              data-testid="log-follow"
              checked={follow()}
              onChange={(e) => {
                setFollow(e.currentTarget.checked);
                scrollToEnd();
              }}
            />
            {t("log.follow")}
          </label>
          <Show when={props.onDownload}>
            <button type="button" class="btn btn-small" data-testid="log-download" disabled={downloading()} onClick={() => void download()}>
              {t("logv.download")}
            </button>
          </Show>
        </span>
      </div>
      <div ref={lines} class="log-lines" data-testid="run-log-lines" hidden={view() !== "lines"} onScroll={onScroll} data-empty={isEmpty() ? props.emptyLabel : undefined}>
        <For each={entries()}>{(entry) => <LogEntryRow entry={entry} expandAll={expandAll()} query={query()} />}</For>
      </div>
      <pre ref={raw} class="log-text" data-testid="run-log" hidden={view() !== "raw"} onScroll={onScroll} data-empty={isEmpty() ? props.emptyLabel : undefined} />
    </div>
  );
};

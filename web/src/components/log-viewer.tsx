import { createSignal, onCleanup, onMount, type Component } from "solid-js";
import { t } from "../stores/i18n.ts";

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
}

// Near-bottom tolerance so sub-pixel rounding does not count as "the user scrolled up".
const BOTTOM_SLACK_PX = 24;

/**
 * The run log as plain DOM text nodes: a 200 KB log streamed in small chunks costs one text-node
 * append per animation frame, never a re-render of what is already there.
 */
export const LogViewer: Component<Props> = (props) => {
  let box!: HTMLPreElement;
  const [follow, setFollow] = createSignal(true);
  const [isEmpty, setIsEmpty] = createSignal(true);
  let pending: string[] = [];
  let frame = 0;

  const scrollToEnd = () => {
    if (follow()) box.scrollTop = box.scrollHeight;
  };
  const flush = () => {
    frame = 0;
    if (pending.length === 0) return;
    box.append(document.createTextNode(pending.join("")));
    pending = [];
    setIsEmpty(false);
    scrollToEnd();
  };

  const sink: LogSink = {
    reset(text) {
      pending = [];
      box.textContent = text;
      setIsEmpty(text.length === 0);
      scrollToEnd();
    },
    append(text) {
      if (!text) return;
      pending.push(text);
      if (!frame) frame = requestAnimationFrame(flush);
    },
  };

  const onScroll = () => {
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight <= BOTTOM_SLACK_PX;
    if (!atBottom && follow()) setFollow(false);
    else if (atBottom && !follow()) setFollow(true);
  };

  onMount(() => props.ref(sink));
  onCleanup(() => frame && cancelAnimationFrame(frame));

  return (
    <div class="log-viewer">
      <div class="log-toolbar">
        <span class={props.live ? "live-dot on" : "live-dot"}>{props.live ? t("log.live") : t("log.finished")}</span>
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
      </div>
      <pre ref={box} class="log-text" data-testid="run-log" onScroll={onScroll} data-empty={isEmpty() ? props.emptyLabel : undefined} />
    </div>
  );
};

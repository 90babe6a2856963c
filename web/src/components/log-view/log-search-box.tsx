import { Show, type Component } from "solid-js";
import { MAX_MARKED } from "../../lib/log-highlight.ts";
import { t } from "../../stores/i18n.ts";

interface Props {
  query: string;
  onQuery: (q: string) => void;
  count: number;
  current: number;
  onStep: (delta: 1 | -1) => void;
}

/** Search in the log: Enter / Shift+Enter step through the matches, Escape clears. */
export const LogSearchBox: Component<Props> = (props) => (
  <span class="log-search">
    <input
      type="search"
      data-testid="log-search"
      placeholder={t("logv.search")}
      aria-label={t("logv.search")}
      value={props.query}
      onInput={(e) => props.onQuery(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          props.onStep(e.shiftKey ? -1 : 1);
        } else if (e.key === "Escape") props.onQuery("");
      }}
    />
    <Show when={props.query}>
      <span class="log-search-count" data-testid="log-search-count">
        {props.count === 0 ? t("logv.noMatch") : `${props.current + 1} / ${props.count >= MAX_MARKED ? `${MAX_MARKED}+` : props.count}`}
      </span>
      <button type="button" class="btn btn-small" data-testid="log-search-prev" title={t("logv.prev")} disabled={props.count === 0} onClick={() => props.onStep(-1)}>
        ↑
      </button>
      <button type="button" class="btn btn-small" data-testid="log-search-next" title={t("logv.next")} disabled={props.count === 0} onClick={() => props.onStep(1)}>
        ↓
      </button>
    </Show>
  </span>
);

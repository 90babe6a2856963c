import { Show, type Component } from "solid-js";
import { t } from "../stores/i18n.ts";

interface Props {
  page: number;
  total: number | null | undefined;
  hasNext: boolean;
  onPrev: () => void;
  onNext: () => void;
}

export const Pager: Component<Props> = (props) => (
  <div class="pager">
    <Show when={props.total !== null && props.total !== undefined}>
      <span class="muted">{t("pager.total", { n: props.total ?? 0 })}</span>
    </Show>
    <button type="button" class="btn btn-small" disabled={props.page <= 1} onClick={() => props.onPrev()}>
      {t("pager.prev")}
    </button>
    <span>{t("pager.page", { n: props.page })}</span>
    <button type="button" class="btn btn-small" disabled={!props.hasNext} data-testid="pager-next" onClick={() => props.onNext()}>
      {t("pager.next")}
    </button>
  </div>
);

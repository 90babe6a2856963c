import { createQuery } from "@urql/solid";
import { For, type Component } from "solid-js";
import { handlerLabel } from "../lib/handler-label.ts";
import { handlersQuery } from "../lib/queries/handlers.ts";

interface Props {
  label: string;
  anyLabel: string;
  value: string;
  onChange: (handlerPath: string) => void;
}

/** A filter over the handlers the server knows. */
export const HandlerSelect: Component<Props> = (props) => {
  const [handlers] = createQuery({ query: handlersQuery, requestPolicy: "cache-first" });
  return (
    <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">{props.anyLabel}</option>
      <For each={handlers.data?.handlers ?? []}>{(h) => <option value={h.handlerPath}>{handlerLabel(h)}</option>}</For>
    </select>
  );
};

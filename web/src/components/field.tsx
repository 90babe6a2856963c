import { Show, type Component, type JSX } from "solid-js";

interface Props {
  label: string;
  /** Ties the error to the input for screen readers and tests: the input gets this id. */
  for: string;
  hint?: string;
  error?: string;
  children: JSX.Element;
}

/** One labelled form control with its hint and its own error right under it. */
export const Field: Component<Props> = (props) => (
  <div class={props.error ? "field invalid" : "field"} data-field={props.for}>
    <label for={props.for}>
      <span>{props.label}</span>
    </label>
    {props.children}
    <Show when={props.hint}>
      <span class="hint">{props.hint}</span>
    </Show>
    <Show when={props.error}>
      <p class="field-error" id={`${props.for}-error`} role="alert" data-testid={`error-${props.for}`}>
        {props.error}
      </p>
    </Show>
  </div>
);

import { Show, type Component } from "solid-js";

export const StatCard: Component<{ label: string; value: string | number; sub?: string; tone?: "ok" | "danger" | "accent" | "warn"; testId?: string }> = (props) => (
  <div class={`stat-card${props.tone ? ` tone-${props.tone}` : ""}`} data-testid={props.testId}>
    <div class="stat-label">{props.label}</div>
    <div class="stat-value">{props.value}</div>
    <Show when={props.sub}>
      <div class="stat-sub">{props.sub}</div>
    </Show>
  </div>
);

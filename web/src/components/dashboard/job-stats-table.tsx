import { A } from "@solidjs/router";
import { For, Show, type Component } from "solid-js";
import { formatDuration } from "../../lib/format.ts";
import { t } from "../../stores/i18n.ts";

export interface JobStatsRow {
  jobId: string;
  runs: number;
  succeeded?: number;
  failed?: number;
  failureRate?: number | null;
  p95DurationMs?: number | null;
  avgDurationMs?: number | null;
  maxDurationMs?: number | null;
}

export type JobStatsColumn = "runs" | "succeeded" | "failed" | "failureRate" | "p95" | "avg" | "max";

const HEAD: Record<JobStatsColumn, Parameters<typeof t>[0]> = {
  runs: "dash.col.runs",
  succeeded: "dash.col.succeeded",
  failed: "dash.col.failed",
  failureRate: "dash.col.failureRate",
  p95: "dash.col.p95",
  avg: "dash.col.avg",
  max: "dash.col.max",
};

export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(rate > 0 && rate < 0.1 ? 1 : 0)}%`;
}

function cell(row: JobStatsRow, column: JobStatsColumn): string {
  switch (column) {
    case "runs":
      return String(row.runs);
    case "succeeded":
      return String(row.succeeded ?? 0);
    case "failed":
      return String(row.failed ?? 0);
    case "failureRate":
      return formatRate(row.failureRate);
    case "p95":
      return formatDuration(row.p95DurationMs) || "—";
    case "avg":
      return formatDuration(row.avgDurationMs) || "—";
    case "max":
      return formatDuration(row.maxDurationMs) || "—";
  }
}

/** Per-job figures; each job links to its runs. */
export const JobStatsTable: Component<{ rows: readonly JobStatsRow[]; columns: readonly JobStatsColumn[]; empty: string; testId: string }> = (props) => (
  <Show when={props.rows.length > 0} fallback={<p class="muted dash-empty">{props.empty}</p>}>
    <div class="table-wrap">
      <table class="cards dash-table" data-testid={props.testId}>
        <thead>
          <tr>
            <th>{t("dash.col.job")}</th>
            <For each={props.columns}>{(c) => <th class="num">{t(HEAD[c])}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr data-testid={`${props.testId}-${row.jobId}`}>
                <td data-label={t("dash.col.job")}>
                  <A href={`/runs?job=${encodeURIComponent(row.jobId)}`} class="mono">
                    {row.jobId}
                  </A>
                </td>
                <For each={props.columns}>
                  {(c) => (
                    <td class={`num${c === "failureRate" && (row.failureRate ?? 0) > 0 ? " bad" : ""}`} data-label={t(HEAD[c])} data-col={c}>
                      {cell(row, c)}
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  </Show>
);

import { createEffect, onCleanup, onMount, type Component } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { stackBuckets, STACK_ORDER, type BucketInput, type SeriesStatus } from "../../lib/run-series.ts";
import { locale, t } from "../../stores/i18n.ts";
import { STATUS_KEYS } from "../labels.tsx";

// Same hues as the status badges.
const COLORS: Record<SeriesStatus, string> = {
  SUCCESS: "#1f8a4c",
  FAILURE: "#d1343b",
  ABANDONED: "#8e1c21",
  CANCELLED: "#98a2b3",
  RUNNING: "#2f6fed",
  QUEUED: "#e0a030",
};

interface Props {
  buckets: readonly BucketInput[];
  unit: "hour" | "day";
  zone: string;
}

function labelFormatter(unit: "hour" | "day", zone: string): (seconds: number) => string {
  const f = new Intl.DateTimeFormat("en-CA", unit === "hour" ? { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : { timeZone: zone, month: "2-digit", day: "2-digit" });
  return (seconds) => f.format(new Date(seconds * 1000));
}

/**
 * Runs per bucket as stacked bars (uPlot has no stacking of its own: each status is drawn at the top
 * of its segment, tallest first, so the shorter ones cover the part below). The legend shows each
 * status's own count under the cursor. Loaded lazily: uPlot is only fetched by the dashboard.
 */
const RunsChart: Component<Props> = (props) => {
  let box!: HTMLDivElement;
  let plot: uPlot | null = null;
  let observer: ResizeObserver | null = null;

  const build = () => {
    plot?.destroy();
    const { xs, raw, stacked } = stackBuckets(props.buckets);
    const label = labelFormatter(props.unit, props.zone);
    const step = props.unit === "hour" ? 3600 : 86400;
    // Top segment first: uPlot draws in series order.
    const order = STACK_ORDER.map((status, i) => ({ status, i })).reverse();
    const bars = uPlot.paths.bars!({ size: [0.7, 48] });
    plot = new uPlot(
      {
        width: Math.max(320, box.clientWidth),
        height: 240,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), props.zone),
        scales: { x: { time: true, range: (_u, min, max) => [min - step / 2, max + step / 2] }, y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
        axes: [
          // Days: one label per bucket (uPlot would split a week every few hours, repeating dates).
          { values: (_u, splits) => splits.map(label), grid: { show: false }, ...(props.unit === "day" ? { splits: () => xs } : {}) },
          { values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : "")), size: 40 },
        ],
        legend: { live: true },
        cursor: { points: { show: false } },
        series: [
          { label: t("dash.chart.time"), value: (_u, v) => (v === null ? "—" : label(v)) },
          ...order.map(({ status, i }) => ({
            label: t(STATUS_KEYS[status]),
            fill: COLORS[status],
            stroke: COLORS[status],
            width: 0,
            paths: bars,
            points: { show: false },
            value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) => (idx === null ? "—" : String(raw[i]![idx] ?? 0)),
          })),
        ],
      },
      [xs, ...order.map(({ i }) => stacked[i]!)],
      box,
    );
  };

  onMount(() => {
    observer = new ResizeObserver(() => plot?.setSize({ width: Math.max(320, box.clientWidth), height: 240 }));
    observer.observe(box);
  });
  // Data, zone or language changed: rebuild (labels and legend are set at creation).
  createEffect(() => {
    // Results are reconciled in place (same array), so track the content.
    void JSON.stringify(props.buckets);
    void props.zone;
    void locale();
    build();
  });
  onCleanup(() => {
    observer?.disconnect();
    plot?.destroy();
  });

  return <div ref={box} class="runs-chart" data-testid="runs-chart" />;
};

export default RunsChart;

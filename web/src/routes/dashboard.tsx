import { A } from "@solidjs/router";
import { createQuery, createSubscription } from "@urql/solid";
import { createSignal, For, lazy, Match, Show, Suspense, Switch, type Component } from "solid-js";
import "../components/dashboard/dashboard.css";
import "../components/segmented.css";
import { JobStatsTable, formatRate } from "../components/dashboard/job-stats-table.tsx";
import { StatCard } from "../components/dashboard/stat-card.tsx";
import { StatusBadge } from "../components/labels.tsx";
import { ErrorState, Loading } from "../components/states.tsx";
import { formatInstant } from "../lib/format.ts";
import { dashboardQuery } from "../lib/queries/dashboard.ts";
import { runStatusSubscription } from "../lib/queries/job-logs.ts";
import { useApp } from "../stores/app-context.ts";
import { t, translate } from "../stores/i18n.ts";
import { createThrottle } from "../stores/throttle.ts";

// uPlot is fetched only when the chart is shown.
const RunsChart = lazy(() => import("../components/dashboard/runs-chart.tsx"));

type Period = "LAST_24H" | "LAST_7D";
// A busy system changes status many times a second: refresh the figures at most this often.
const REFRESH_MS = 5000;

export const DashboardPage: Component = () => {
  const app = useApp();
  const [period, setPeriod] = createSignal<Period>("LAST_24H");
  const [result, refetch] = createQuery({ query: dashboardQuery, variables: () => ({ window: period() }), requestPolicy: "cache-and-network" });
  const refresh = createThrottle(() => refetch({ requestPolicy: "network-only" }), REFRESH_MS);
  createSubscription({ query: runStatusSubscription, variables: { jobId: null } }, (_prev, event) => {
    if (event.jobLogUpdated.kind === "STATUS") refresh();
    return event;
  });
  const d = () => result.data?.dashboard;
  const at = (iso: string) => formatInstant(iso, app.zone());
  const total = () => d()?.statusCounts.reduce((sum, c) => sum + c.count, 0) ?? 0;
  const overallFailureRate = () => {
    const stats = d()?.jobStats ?? [];
    const failed = stats.reduce((s, j) => s + j.failed, 0);
    const decided = failed + stats.reduce((s, j) => s + j.succeeded, 0);
    return decided ? failed / decided : null;
  };

  return (
    <section data-testid="dashboard">
      <div class="page-head">
        <h1>{t("dash.title")}</h1>
        <div class="segmented" role="group" aria-label={t("dash.window")}>
          <For each={["LAST_24H", "LAST_7D"] as const}>
            {(w) => (
              <button type="button" class={period() === w ? "on" : ""} aria-pressed={period() === w} data-testid={`window-${w}`} onClick={() => setPeriod(w)}>
                {t(w === "LAST_24H" ? "dash.window.day" : "dash.window.week")}
              </button>
            )}
          </For>
        </div>
        <span class="spacer" />
        <Show when={d()}>{(x) => <span class="muted" data-testid="dash-updated">{t("dash.updated", { time: at(x().until) })}</span>}</Show>
        <button type="button" class="btn btn-small" data-testid="dash-refresh" onClick={() => refetch({ requestPolicy: "network-only" })}>
          {t("dash.refresh")}
        </button>
      </div>
      <Switch>
        <Match when={result.error && !d()}>
          <ErrorState message={result.error!.message} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!d()}>
          <Loading />
        </Match>
        <Match when={d()}>
          {(x) => (
            <>
              <div class="stat-row">
                <StatCard testId="stat-running" label={t("dash.running")} value={x().active.running} tone="accent" />
                <StatCard testId="stat-queued" label={t("dash.queued")} value={x().active.queued} tone={x().active.queued > 0 ? "warn" : undefined} sub={t("dash.planned", { n: x().active.planned })} />
                <StatCard testId="stat-total" label={t(period() === "LAST_24H" ? "dash.runsDay" : "dash.runsWeek")} value={total()} />
                <StatCard
                  testId="stat-failure-rate"
                  label={t("dash.failureRate")}
                  value={formatRate(overallFailureRate())}
                  tone={(overallFailureRate() ?? 0) > 0 ? "danger" : "ok"}
                />
                <StatCard testId="stat-workers" label={t("dash.workers")} value={x().workersAlive} tone={x().workersAlive === 0 ? "danger" : undefined} sub={t("dash.workersHint")} />
              </div>

              <div class="panel">
                <h2>{t(period() === "LAST_24H" ? "dash.chart.titleDay" : "dash.chart.titleWeek")}</h2>
                <div class="status-totals" data-testid="status-totals">
                  <For each={x().statusCounts}>
                    {(c) => (
                      <span data-status={c.status}>
                        <StatusBadge status={c.status} /> <strong>{c.count}</strong>
                      </span>
                    )}
                  </For>
                  <Show when={x().statusCounts.length === 0}>
                    <span class="muted">{t("dash.noRuns")}</span>
                  </Show>
                </div>
                <Suspense fallback={<Loading />}>
                  <RunsChart buckets={x().buckets} unit={period() === "LAST_24H" ? "hour" : "day"} zone={app.zone()} />
                </Suspense>
              </div>

              <div class="dash-grid">
                <div class="panel">
                  <h2>{t("dash.slowest")}</h2>
                  <JobStatsTable testId="slowest-jobs" rows={x().slowestJobs} columns={["runs", "p95", "max"]} empty={t("dash.noDurations")} />
                </div>
                <div class="panel">
                  <h2>{t("dash.mostFailing")}</h2>
                  <JobStatsTable testId="failing-jobs" rows={x().mostFailingJobs} columns={["runs", "failed", "failureRate"]} empty={t("dash.noFailures")} />
                </div>
              </div>

              <div class="panel">
                <h2>{t("dash.perJob")}</h2>
                <p class="hint muted">{t("dash.perJobHint")}</p>
                <JobStatsTable testId="job-stats" rows={x().jobStats} columns={["runs", "succeeded", "failed", "failureRate", "p95", "avg"]} empty={t("dash.noRuns")} />
              </div>

              <div class="dash-grid">
                <div class="panel">
                  <h2>{t("dash.nextFires")}</h2>
                  <Show when={x().nextFires.length > 0} fallback={<p class="muted dash-empty">{t("dash.noFires")}</p>}>
                    <ol class="plain-list" data-testid="next-fires">
                      <For each={x().nextFires}>
                        {(fire) => (
                          <li>
                            <A href={`/jobs/${encodeURIComponent(fire.jobId)}`} class="mono">
                              {fire.jobId}
                            </A>
                            <span class="mono">{at(fire.at)}</span>
                          </li>
                        )}
                      </For>
                    </ol>
                  </Show>
                </div>
                <div class="panel">
                  <h2>{t("dash.workersTitle")}</h2>
                  <Show when={x().workers.length > 0} fallback={<p class="muted dash-empty" data-testid="workers-empty">{t("dash.noWorkers")}</p>}>
                    <ul class="plain-list" data-testid="workers">
                      <For each={x().workers}>
                        {(w) => (
                          <li data-testid="worker" data-worker-id={w.workerId} class="worker-row">
                            <span>
                              <span class="mono">{w.workerId}</span> <span class="muted">{translate(`dash.role.${w.role}`) ?? w.role}</span>{" "}
                              <Show when={w.stoppingSince}>
                                <span class="badge badge-warn" data-testid="worker-stopping">{t("dash.workerStopping")}</span>
                              </Show>
                            </span>
                            <span class="muted">{t("dash.workerLine", { n: w.runningRuns, slots: w.runSlots, started: at(w.startedAt), time: at(w.lastHeartbeatAt) })}</span>
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                </div>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
};

import { A, useSearchParams } from "@solidjs/router";
import { createQuery, createSubscription } from "@urql/solid";
import { createMemo, For, Match, Show, Switch, type Component } from "solid-js";
import { RunFilters, type RunFilterParams } from "../components/run-filters.tsx";
import { Pager } from "../components/pager.tsx";
import { isPlanned, StatusBadge, RUN_TRIGGER_KEYS } from "../components/labels.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { formatDuration, formatInstant, wallTimeToInstant } from "../lib/format.ts";
import { jobLogsQuery, runStatusSubscription } from "../lib/queries/job-logs.ts";
import { useApp } from "../stores/app-context.ts";
import { createCursorPages } from "../stores/cursor-pages.ts";
import { t } from "../stores/i18n.ts";
import { createThrottle } from "../stores/throttle.ts";
import { runMessageText } from "../lib/coded-text.ts";

const PAGE_SIZE = 30;
type Status = "QUEUED" | "RUNNING" | "SUCCESS" | "FAILURE" | "CANCELLED" | "ABANDONED";
type Trigger = "CRON" | "INTERVAL" | "DATE" | "MANUAL" | "RETRY" | "CATCHUP";

export const RunsPage: Component = () => {
  const app = useApp();
  const [params, setParams] = useSearchParams<RunFilterParams>();
  const pages = createCursorPages();
  const filter = createMemo(() => ({
    jobId: params.job || undefined,
    status: params.status ? [params.status as Status] : undefined,
    trigger: params.trigger ? [params.trigger as Trigger] : undefined,
    createdFrom: (params.from && wallTimeToInstant(params.from, app.zone())) || undefined,
    createdBefore: (params.to && wallTimeToInstant(params.to, app.zone())) || undefined,
  }));
  const [logs, refetch] = createQuery({
    query: jobLogsQuery,
    variables: () => ({ first: PAGE_SIZE, after: pages.after(), filter: filter() }),
  });
  // Any run of the shown job(s) changing status refreshes the page in place (at most once a second).
  const refresh = createThrottle(() => refetch({ requestPolicy: "network-only" }), 1000);
  createSubscription({ query: runStatusSubscription, variables: () => ({ jobId: params.job || null }) }, (_prev, event) => {
    if (event.jobLogUpdated.kind === "STATUS") refresh();
    return event;
  });
  const setFilter = (patch: Partial<RunFilterParams>) => {
    pages.reset();
    setParams(patch, { replace: true });
  };
  const rows = () => logs.data?.jobLogs.edges.map((e) => e.node) ?? [];
  const filtered = () => Boolean(params.job || params.status || params.trigger || params.from || params.to);
  const at = (iso: string | null | undefined) => formatInstant(iso, app.zone());

  return (
    <section>
      <div class="page-head">
        <h1>{t("runs.title")}</h1>
        <span class="spacer" />
        <span class="muted">{t("runs.zoneNote", { zone: app.zone() })}</span>
      </div>
      <RunFilters params={params} onChange={setFilter} />
      <Switch>
        <Match when={logs.error && !logs.data}>
          <ErrorState message={logs.error!.message} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!logs.data}>
          <Loading />
        </Match>
        <Match when={rows().length === 0}>
          <Empty title={filtered() ? t("runs.emptyFiltered") : t("runs.empty")} />
        </Match>
        <Match when={true}>
          <div class="table-wrap">
            <table class="cards" data-testid="runs-table">
              <thead>
                <tr>
                  <th>{t("runs.col.id")}</th>
                  <th>{t("runs.col.job")}</th>
                  <th>{t("runs.col.status")}</th>
                  <th>{t("runs.col.trigger")}</th>
                  <th>{t("runs.col.started")}</th>
                  <th>{t("runs.col.duration")}</th>
                  <th>{t("runs.col.message")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(log) => (
                    <tr data-testid={`run-row-${log.id}`}>
                      <td data-label={t("runs.col.id")}>
                        <A href={`/runs/${log.id}`} class="mono">
                          #{log.id}
                        </A>
                      </td>
                      <td data-label={t("runs.col.job")}>
                        <A href={`/runs?job=${encodeURIComponent(log.jobId)}`} class="mono">
                          {log.jobId}
                        </A>
                      </td>
                      <td data-label={t("runs.col.status")}>
                        <StatusBadge status={log.status} planned={isPlanned(log)} />
                      </td>
                      <td data-label={t("runs.col.trigger")}>
                        {t(RUN_TRIGGER_KEYS[log.trigger])}
                        <Show when={log.attempt > 1}>
                          <div class="sub">{t("runs.attempt", { n: log.attempt })}</div>
                        </Show>
                      </td>
                      <td data-label={t("runs.col.started")} data-testid="run-when">
                        {/* Only a run that started has a start time; a planned one shows its slot. */}
                        <Show
                          when={log.startedAt}
                          fallback={
                            <span class="muted">
                              {log.scheduledAt && log.status === "QUEUED" ? t("jobs.plannedFor", { time: at(log.scheduledAt) }) : log.status === "QUEUED" ? t("run.notStartedYet") : t("jobs.notStarted")}
                            </span>
                          }
                        >
                          {at(log.startedAt)}
                        </Show>
                      </td>
                      <td data-label={t("runs.col.duration")}>{formatDuration(log.durationMs)}</td>
                      <td data-label={t("runs.col.message")}>
                        <span class="sub" data-testid="runs-message">{runMessageText(log).slice(0, 140)}</span>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
          <Pager
            page={pages.page()}
            total={logs.data?.jobLogs.totalCount}
            hasNext={logs.data?.jobLogs.pageInfo.hasNextPage ?? false}
            onPrev={() => pages.prev()}
            onNext={() => pages.next(logs.data?.jobLogs.pageInfo.endCursor)}
          />
        </Match>
      </Switch>
    </section>
  );
};

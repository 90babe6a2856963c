import { A, useSearchParams } from "@solidjs/router";
import { createQuery, createSubscription } from "@urql/solid";
import { createMemo, For, Match, Show, Switch, type Component } from "solid-js";
import { HandlerSelect } from "../components/handler-select.tsx";
import { JobRow } from "../components/job-row.tsx";
import { Pager } from "../components/pager.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { runStatusSubscription } from "../lib/queries/job-logs.ts";
import { jobsQuery } from "../lib/queries/jobs.ts";
import { useApp } from "../stores/app-context.ts";
import { createCursorPages } from "../stores/cursor-pages.ts";
import { t } from "../stores/i18n.ts";
import { createJobActions } from "../stores/job-actions.ts";
import { createThrottle } from "../stores/throttle.ts";

const PAGE_SIZE = 25;

export const JobsPage: Component = () => {
  const app = useApp();
  const [params, setParams] = useSearchParams<{ q?: string; enabled?: string; handler?: string }>();
  const pages = createCursorPages();
  const filter = createMemo(() => ({
    text: params.q || undefined,
    enabled: params.enabled === "yes" ? true : params.enabled === "no" ? false : undefined,
    handlerPath: params.handler || undefined,
  }));
  const [jobs, refetch] = createQuery({
    query: jobsQuery,
    variables: () => ({ first: PAGE_SIZE, after: pages.after(), filter: filter() }),
  });
  const actions = createJobActions(() => refetch({ requestPolicy: "network-only" }));
  // Last-run status follows the runs as they start and finish (one refetch a second at most).
  const refresh = createThrottle(() => refetch({ requestPolicy: "network-only" }), 1000);
  createSubscription({ query: runStatusSubscription, variables: { jobId: null } }, (_prev, event) => {
    if (event.jobLogUpdated.kind === "STATUS") refresh();
    return event;
  });
  const setFilter = (patch: Record<string, string>) => {
    pages.reset();
    setParams(patch, { replace: true });
  };
  const rows = () => jobs.data?.jobs.edges.map((e) => e.node) ?? [];
  const filtered = () => Boolean(params.q || params.enabled || params.handler);

  return (
    <section>
      <div class="page-head">
        <h1>{t("jobs.title")}</h1>
        <span class="spacer" />
        <Show when={app.session.can("ADMIN")}>
          <A href="/jobs/new" class="btn btn-primary" data-testid="new-job">
            {t("jobs.new")}
          </A>
        </Show>
      </div>
      <div class="filters">
        <input
          type="search"
          placeholder={t("jobs.searchPlaceholder")}
          aria-label={t("jobs.searchPlaceholder")}
          value={params.q ?? ""}
          onInput={(e) => setFilter({ q: e.currentTarget.value })}
        />
        <select aria-label={t("jobs.filter.enabled")} value={params.enabled ?? ""} onChange={(e) => setFilter({ enabled: e.currentTarget.value })}>
          <option value="">{t("jobs.filter.anyState")}</option>
          <option value="yes">{t("jobs.filter.enabledOnly")}</option>
          <option value="no">{t("jobs.filter.disabledOnly")}</option>
        </select>
        <HandlerSelect
          label={t("jobs.filter.handler")}
          anyLabel={t("jobs.filter.anyHandler")}
          value={params.handler ?? ""}
          onChange={(handler) => setFilter({ handler })}
        />
      </div>
      <Switch>
        <Match when={jobs.error && !jobs.data}>
          <ErrorState message={jobs.error!.message} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!jobs.data}>
          <Loading />
        </Match>
        <Match when={rows().length === 0}>
          <Empty title={filtered() ? t("jobs.emptyFiltered") : t("jobs.empty")} hint={filtered() ? undefined : t("jobs.emptyHint")} />
        </Match>
        <Match when={true}>
          <div class="table-wrap">
            <table class="cards" data-testid="jobs-table">
              <thead>
                <tr>
                  <th>{t("jobs.col.id")}</th>
                  <th>{t("jobs.col.enabled")}</th>
                  <th>{t("jobs.col.trigger")}</th>
                  <th>{t("jobs.col.handler")}</th>
                  <th>{t("jobs.col.lastRun")}</th>
                  <th>{t("jobs.col.actions")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>{(job) => <JobRow job={job} actions={actions} />}</For>
              </tbody>
            </table>
          </div>
          <Pager
            page={pages.page()}
            total={jobs.data?.jobs.totalCount}
            hasNext={jobs.data?.jobs.pageInfo.hasNextPage ?? false}
            onPrev={() => pages.prev()}
            onNext={() => pages.next(jobs.data?.jobs.pageInfo.endCursor)}
          />
        </Match>
      </Switch>
    </section>
  );
};

import { A, useParams } from "@solidjs/router";
import { createQuery } from "@urql/solid";
import { For, Match, Show, Switch, type Component } from "solid-js";
import { StatusBadge } from "../components/labels.tsx";
import { Pager } from "../components/pager.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { formatInstant } from "../lib/format.ts";
import { jobScheduleQuery } from "../lib/queries/job-schedule.ts";
import { describeTrigger } from "../lib/trigger-words.ts";
import { useApp } from "../stores/app-context.ts";
import { createCursorPages } from "../stores/cursor-pages.ts";
import { t, type MessageKey } from "../stores/i18n.ts";

const PAGE_SIZE = 25;

const OUTCOME_KEYS: Record<string, MessageKey> = {
  FIRED: "schedule.outcome.FIRED",
  CATCHUP: "schedule.outcome.CATCHUP",
  SKIPPED_MISFIRE: "schedule.outcome.SKIPPED_MISFIRE",
  SKIPPED_OVERLAP: "schedule.outcome.SKIPPED_OVERLAP",
};

/** One job: its trigger, the next fire times and the schedule history (what became of each slot). */
export const JobPage: Component = () => {
  const params = useParams<{ id: string }>();
  const app = useApp();
  const pages = createCursorPages();
  const [data, refetch] = createQuery({
    query: jobScheduleQuery,
    variables: () => ({ id: params.id, first: PAGE_SIZE, after: pages.after() }),
    requestPolicy: "cache-and-network",
  });
  const job = () => data.data?.job;
  const at = (iso: string) => formatInstant(iso, app.zone());

  return (
    <Switch>
      <Match when={data.error && !data.data}>
        <ErrorState message={data.error!.message} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      </Match>
      <Match when={!data.data}>
        <Loading />
      </Match>
      <Match when={!job()}>
        <ErrorState message={t("editor.notFound", { id: params.id })} />
      </Match>
      <Match when={job()}>
        {(j) => (
          <section data-testid="job-page">
            <div class="page-head">
              <h1 class="mono">{j().id}</h1>
              <span class="spacer" />
              <A class="btn" href={`/runs?job=${encodeURIComponent(j().id)}`}>
                {t("jobs.action.viewLogs")}
              </A>
              <Show when={app.session.can("ADMIN")}>
                <A class="btn" href={`/jobs/${encodeURIComponent(j().id)}/edit`}>
                  {t("jobs.action.edit")}
                </A>
              </Show>
            </div>
            <Show when={j().description}>
              <p class="muted">{j().description}</p>
            </Show>
            <div class="panel">
              <h2>{t("schedule.next")}</h2>
              <p>
                {describeTrigger(j(), at)} · <span class="muted">{t("schedule.zone", { zone: j().effectiveTimezone })}</span>
              </p>
              <Show when={j().nextFireTimes.length > 0} fallback={<p class="muted">{j().enabled ? t("jobs.noNextRun") : t("jobs.pausedNoNextRun")}</p>}>
                <ol class="preview-list" data-testid="next-fires">
                  <For each={j().nextFireTimes}>{(when) => <li>{at(when)}</li>}</For>
                </ol>
              </Show>
            </div>
            <h2>{t("schedule.history")}</h2>
            <p class="muted">{t("schedule.historyHint")}</p>
            <Show when={j().fireRecords.edges.length > 0} fallback={<Empty title={t("schedule.empty")} />}>
              <div class="table-wrap">
                <table class="cards" data-testid="fire-records">
                  <thead>
                    <tr>
                      <th>{t("schedule.col.slot")}</th>
                      <th>{t("schedule.col.outcome")}</th>
                      <th>{t("schedule.col.run")}</th>
                      <th>{t("schedule.col.reason")}</th>
                      <th>{t("schedule.col.decided")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={j().fireRecords.edges}>
                      {({ node }) => (
                        <tr data-testid="fire-record" data-outcome={node.outcome}>
                          <td data-label={t("schedule.col.slot")}>{at(node.slot)}</td>
                          <td data-label={t("schedule.col.outcome")}>
                            <span class={`badge badge-outcome-${node.outcome}`}>{t(OUTCOME_KEYS[node.outcome] ?? "schedule.outcome.FIRED")}</span>
                          </td>
                          <td data-label={t("schedule.col.run")}>
                            <Show when={node.run} fallback={<span class="muted">{node.logId ? t("schedule.runPurged", { id: node.logId }) : "—"}</span>}>
                              {(run) => (
                                <A href={`/runs/${run().id}`}>
                                  #{run().id} <StatusBadge status={run().status} />
                                </A>
                              )}
                            </Show>
                          </td>
                          <td data-label={t("schedule.col.reason")}>{node.reason ?? ""}</td>
                          <td data-label={t("schedule.col.decided")} class="muted">
                            {at(node.decidedAt)}
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
              <Pager
                page={pages.page()}
                total={j().fireRecords.totalCount}
                hasNext={j().fireRecords.pageInfo.hasNextPage}
                onPrev={() => pages.prev()}
                onNext={() => pages.next(j().fireRecords.pageInfo.endCursor)}
              />
            </Show>
          </section>
        )}
      </Match>
    </Switch>
  );
};

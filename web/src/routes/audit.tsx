import { createQuery } from "@urql/solid";
import { createSignal, For, Match, Switch, type Component } from "solid-js";
import { Pager } from "../components/pager.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { formatInstant } from "../lib/format.ts";
import { graphql } from "../lib/graphql.ts";
import { useApp } from "../stores/app-context.ts";
import { createCursorPages } from "../stores/cursor-pages.ts";
import { t } from "../stores/i18n.ts";

const PAGE_SIZE = 50;

const auditEventsQuery = graphql(`
  query AuditEvents($first: Int!, $after: String, $filter: AuditEventFilter) {
    auditEvents(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          at
          actorKind
          actor
          action
          targetType
          targetId
          outcome
          detail
          address
          userAgent
          traceId
        }
      }
    }
  }
`);

/** The audit log (admins): who did what, when, from where, and how it ended. */
export const AuditPage: Component = () => {
  const app = useApp();
  const pages = createCursorPages();
  const [action, setAction] = createSignal("");
  const [actor, setActor] = createSignal("");
  const filter = () => ({
    action: action().trim() ? [action().trim()] : undefined,
    actor: actor().trim() || undefined,
  });
  const [events, refetch] = createQuery({ query: auditEventsQuery, variables: () => ({ first: PAGE_SIZE, after: pages.after(), filter: filter() }) });
  const rows = () => events.data?.auditEvents.edges.map((e) => e.node) ?? [];
  const onFilter = (set: (v: string) => void) => (e: { currentTarget: HTMLInputElement }) => {
    pages.reset();
    set(e.currentTarget.value);
  };

  return (
    <section>
      <div class="page-head">
        <h1>{t("audit.title")}</h1>
      </div>
      <div class="filters">
        <input placeholder={t("audit.filter.action")} value={action()} onChange={onFilter(setAction)} data-testid="audit-action-filter" />
        <input placeholder={t("audit.filter.actor")} value={actor()} onChange={onFilter(setActor)} data-testid="audit-actor-filter" />
      </div>
      <Switch>
        <Match when={events.error && !events.data}>
          <ErrorState message={events.error!.message} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!events.data}>
          <Loading />
        </Match>
        <Match when={rows().length === 0}>
          <Empty title={t("audit.empty")} />
        </Match>
        <Match when={true}>
          <div class="table-wrap">
            <table class="cards" data-testid="audit-table">
              <thead>
                <tr>
                  <th>{t("audit.col.at")}</th>
                  <th>{t("audit.col.actor")}</th>
                  <th>{t("audit.col.action")}</th>
                  <th>{t("audit.col.target")}</th>
                  <th>{t("audit.col.outcome")}</th>
                  <th>{t("audit.col.detail")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(e) => (
                    <tr data-testid="audit-row" data-action={e.action}>
                      <td data-label={t("audit.col.at")} class="audit-at">{formatInstant(e.at, app.zone())}</td>
                      <td data-label={t("audit.col.actor")}>
                        {e.actor}
                        <div class="sub">
                          {e.actorKind}
                          {e.address ? ` · ${e.address}` : ""}
                        </div>
                      </td>
                      <td data-label={t("audit.col.action")} class="mono">
                        {e.action}
                      </td>
                      <td data-label={t("audit.col.target")} class="mono">
                        {e.targetType ? `${e.targetType} ${e.targetId ?? ""}` : "—"}
                      </td>
                      <td data-label={t("audit.col.outcome")}>{e.outcome}</td>
                      <td data-label={t("audit.col.detail")}>
                        <span class="sub mono audit-detail">{e.detail ? JSON.stringify(e.detail).slice(0, 300) : ""}</span>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
          <Pager
            page={pages.page()}
            total={events.data?.auditEvents.totalCount}
            hasNext={events.data?.auditEvents.pageInfo.hasNextPage ?? false}
            onPrev={() => pages.prev()}
            onNext={() => pages.next(events.data?.auditEvents.pageInfo.endCursor)}
          />
        </Match>
      </Switch>
    </section>
  );
};

import { A } from "@solidjs/router";
import { Show, type Component } from "solid-js";
import { formatInstant } from "../lib/format.ts";
import type { ResultOf } from "../lib/graphql.ts";
import type { jobsQuery } from "../lib/queries/jobs.ts";
import { describeTrigger } from "../lib/trigger-words.ts";
import { useApp } from "../stores/app-context.ts";
import { t } from "../stores/i18n.ts";
import type { createJobActions } from "../stores/job-actions.ts";
import { StatusBadge } from "./labels.tsx";

type JobNode = ResultOf<typeof jobsQuery>["jobs"]["edges"][number]["node"];

interface Props {
  job: JobNode;
  actions: ReturnType<typeof createJobActions>;
}

export const JobRow: Component<Props> = (props) => {
  const app = useApp();
  const at = (iso: string) => formatInstant(iso, app.zone());
  const busy = () => props.actions.busy() === props.job.id;
  const nextRun = () => props.job.nextFireTimes[0];
  return (
    <tr data-testid={`job-row-${props.job.id}`}>
      <td data-label={t("jobs.col.id")}>
        <A href={`/jobs/${encodeURIComponent(props.job.id)}`} class="job-link" data-testid="open-job" title={t("schedule.open")}>
          <strong class="mono">{props.job.id}</strong>
        </A>
        <Show when={props.job.description}>
          <div class="sub">{props.job.description}</div>
        </Show>
      </td>
      <td data-label={t("jobs.col.enabled")}>
        <label class="switch" title={props.job.enabled ? t("jobs.enabled") : t("jobs.disabled")}>
          <input
            type="checkbox"
            data-testid="enabled-toggle"
            aria-label={props.job.enabled ? t("jobs.action.disable") : t("jobs.action.enable")}
            checked={props.job.enabled}
            disabled={!app.session.can("ADMIN") || busy()}
            onChange={(e) => {
              const wanted = e.currentTarget.checked;
              e.currentTarget.checked = props.job.enabled;
              void props.actions.setEnabled(props.job.id, wanted);
            }}
          />
          <span />
        </label>
      </td>
      <td data-label={t("jobs.col.trigger")}>
        {describeTrigger(props.job, at)}
        <Show when={props.job.effectiveTimezone !== app.zone()}>
          {" "}
          <span class="zone-label" data-testid="job-zone" title={t("jobs.ownZone")}>
            ({props.job.effectiveTimezone})
          </span>
        </Show>
        <div class="sub">
          <Show when={props.job.enabled && nextRun()} fallback={props.job.enabled ? t("jobs.noNextRun") : t("jobs.pausedNoNextRun")}>
            {t("jobs.nextRun", { time: at(nextRun()!) })}
          </Show>
        </div>
      </td>
      <td data-label={t("jobs.col.handler")}>
        <code>{props.job.handlerPath}</code>
      </td>
      <td data-label={t("jobs.col.lastRun")}>
        <Show when={props.job.lastRun} fallback={<span class="muted">{t("jobs.neverRun")}</span>}>
          {(run) => (
            <>
              <A href={`/runs/${run().id}`}>
                <StatusBadge status={run().status} />
              </A>
              <div class="sub" data-testid="last-run-time">
                {/* A run that has not started shows when it is planned for, never a start time. */}
                {run().startedAt ? at(run().startedAt!) : run().scheduledAt ? t("jobs.plannedFor", { time: at(run().scheduledAt!) }) : t("jobs.notStarted")}
              </div>
            </>
          )}
        </Show>
      </td>
      <td data-label={t("jobs.col.actions")}>
        <div class="row-actions">
          <Show when={app.session.can("OPERATOR")}>
            <button type="button" class="btn btn-small" data-testid="run-now" disabled={busy()} onClick={() => void props.actions.runNow(props.job.id, true)}>
              {t("jobs.action.runNow")}
            </button>
          </Show>
          <A class="btn btn-small" href={`/runs?job=${encodeURIComponent(props.job.id)}`} data-testid="view-logs">
            {t("jobs.action.viewLogs")}
          </A>
          <Show when={app.session.can("ADMIN")}>
            <A class="btn btn-small" href={`/jobs/${encodeURIComponent(props.job.id)}/edit`} data-testid="edit-job">
              {t("jobs.action.edit")}
            </A>
            <button
              type="button"
              class="btn btn-small"
              data-testid="toggle-enabled"
              disabled={busy()}
              onClick={() => void props.actions.setEnabled(props.job.id, !props.job.enabled)}
            >
              {props.job.enabled ? t("jobs.action.disable") : t("jobs.action.enable")}
            </button>
            <button type="button" class="btn btn-small btn-danger" data-testid="purge-logs" disabled={busy()} onClick={() => void props.actions.purgeLogs(props.job.id)}>
              {t("jobs.action.purge")}
            </button>
            <button type="button" class="btn btn-small btn-danger" data-testid="delete-job" disabled={busy()} onClick={() => void props.actions.deleteJob(props.job.id)}>
              {t("jobs.action.delete")}
            </button>
          </Show>
        </div>
      </td>
    </tr>
  );
};

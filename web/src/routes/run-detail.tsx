import { A, useNavigate, useParams } from "@solidjs/router";
import { createQuery, useClient } from "@urql/solid";
import { createEffect, createSignal, Match, on, Show, Switch, type Component } from "solid-js";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { isPlanned, RUN_TRIGGER_KEYS, STATUS_KEYS, StatusBadge } from "../components/labels.tsx";
import { LogViewer } from "../components/log-viewer.tsx";
import { ErrorState, Loading } from "../components/states.tsx";
import { runMessageText } from "../lib/coded-text.ts";
import { toast } from "../components/toasts.tsx";
import { errorMessage, unwrapPayload } from "../lib/action-result.ts";
import { formatDuration, formatInstant } from "../lib/format.ts";
import { cancelRunMutation, jobLogQuery, retryLogMutation } from "../lib/queries/job-logs.ts";
import { runLogDownloadQuery } from "../lib/queries/run-log-download.ts";
import { saveText } from "../lib/save-text.ts";
import { useApp } from "../stores/app-context.ts";
import { t } from "../stores/i18n.ts";
import { createRunLogStream } from "../stores/run-log-stream.ts";

const ACTIVE = new Set(["QUEUED", "RUNNING"]);

/** Keyed by the id in the URL: opening another run (e.g. its retry) starts a fresh page and stream. */
export const RunDetailPage: Component = () => {
  const params = useParams<{ id: string }>();
  return (
    <Show when={params.id} keyed>
      {(id) => <RunDetail id={Number(id)} />}
    </Show>
  );
};

const RunDetail: Component<{ id: number }> = (props) => {
  const app = useApp();
  const client = useClient();
  const navigate = useNavigate();
  const logId = () => props.id;
  const [run, refetch] = createQuery({ query: jobLogQuery, variables: () => ({ id: logId() }), requestPolicy: "network-only" });
  const log = () => run.data?.jobLog ?? null;
  const [liveStatus, setLiveStatus] = createSignal<string | null>(null);
  const status = () => (liveStatus() ?? log()?.status ?? "QUEUED") as NonNullable<ReturnType<typeof log>>["status"];
  const active = () => ACTIVE.has(status());
  const [busy, setBusy] = createSignal(false);

  const stream = createRunLogStream({
    logId,
    loaded: () => log(),
    onStatus: (s) => {
      setLiveStatus(s);
      // Every change brings new facts (RUNNING: the start time; finished: message, traceback, timings).
      refetch({ requestPolicy: "network-only" });
    },
  });
  // Query results are reconciled in place (same object), so track the fields that change.
  createEffect(
    on([() => log()?.status, () => log()?.runLogBytes], ([loadedStatus]) => {
      const current = log();
      if (!current || !loadedStatus) return;
      stream.loaded();
      // A finished run's stored log is complete: show it if the stream delivered less.
      if (!ACTIVE.has(loadedStatus)) {
        stream.replace(current.runLog, current.runLogBytes);
        setLiveStatus(null);
      }
    }),
  );

  const at = (iso: string | null | undefined) => formatInstant(iso, app.zone()) || "—";

  const retry = async () => {
    setBusy(true);
    try {
      const next = unwrapPayload<{ id: number }>(await client.mutation(retryLogMutation, { logId: logId() }).toPromise(), "retryLog");
      toast("ok", () => t("run.toast.retried", { id: next.id }));
      navigate(`/runs/${next.id}`);
    } catch (error) {
      toast("error", () => errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const cancel = async () => {
    const ok = await confirmAction({ title: t("run.confirm.cancelTitle", { id: logId() }), body: t("run.confirm.cancelBody"), confirmLabel: t("run.cancel"), danger: true });
    if (!ok) return;
    setBusy(true);
    try {
      unwrapPayload(await client.mutation(cancelRunMutation, { logId: logId() }).toPromise(), "cancelRun");
      toast("ok", () => t("run.toast.cancelRequested"));
      refetch({ requestPolicy: "network-only" });
    } catch (error) {
      toast("error", () => errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const downloadLog = async () => {
    const result = await client.query(runLogDownloadQuery, { id: logId() }, { requestPolicy: "network-only" }).toPromise();
    const stored = result.data?.jobLog;
    if (!stored) return void toast("error", result.error ? errorMessage(result.error) : t("run.notFound", { id: logId() }));
    saveText(`${stored.jobId}-run-${stored.id}.log`, stored.runLog);
  };

  return (
    <Switch>
      <Match when={run.error && !run.data}>
        <ErrorState message={run.error!.message} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      </Match>
      <Match when={!run.data}>
        <Loading />
      </Match>
      <Match when={!log()}>
        <ErrorState message={t("run.notFound", { id: props.id })} />
      </Match>
      <Match when={log()}>
        {(current) => (
          <section>
            <div class="page-head">
              <A href={`/runs?job=${encodeURIComponent(current().jobId)}`}>← {t("run.back")}</A>
              <h1>
                {t("run.title", { id: current().id })} · <span class="mono">{current().jobId}</span>
              </h1>
              <StatusBadge status={status()} planned={isPlanned({ status: status(), scheduledAt: current().scheduledAt })} />
              <span class="spacer" />
              <Show when={app.session.can("OPERATOR")}>
                <Show when={active()}>
                  <button type="button" class="btn btn-danger" data-testid="cancel-run" disabled={busy() || Boolean(current().cancelRequestedAt)} onClick={() => void cancel()}>
                    {current().cancelRequestedAt ? t("run.cancelRequested") : t("run.cancel")}
                  </button>
                </Show>
                <button type="button" class="btn btn-primary" data-testid="retry-run" disabled={busy() || active()} onClick={() => void retry()}>
                  {t("run.retry")}
                </button>
              </Show>
            </div>
            <Show when={app.session.can("OPERATOR") && active()}>
              <p class="reason" data-testid="retry-reason">
                {t("run.retryBlocked", { status: t(STATUS_KEYS[status()]) })}
              </p>
            </Show>
            <Show when={status() === "QUEUED" && current().scheduledAt && new Date(current().scheduledAt!).getTime() > Date.now()}>
              <p class="notice" role="status" data-testid="planned-note">
                {t("run.planned", { time: at(current().scheduledAt!) })}
              </p>
            </Show>
            <div class="panel">
              <dl class="facts">
                <div>
                  <dt>{t("run.field.trigger")}</dt>
                  <dd>{t(RUN_TRIGGER_KEYS[current().trigger])}</dd>
                </div>
                <div>
                  <dt>{t("run.field.attempt")}</dt>
                  <dd>
                    {current().attempt}
                    <Show when={current().retryOf}>{(r) => <> · <A href={`/runs/${r().id}`}>{t("run.retryOf", { id: r().id })}</A></>}</Show>
                  </dd>
                </div>
                <div>
                  <dt>{t("run.field.scheduled")}</dt>
                  <dd>{at(current().scheduledAt)}</dd>
                </div>
                <div>
                  <dt>{t("run.field.created")}</dt>
                  <dd>{at(current().createdAt)}</dd>
                </div>
                <div>
                  <dt>{t("run.field.started")}</dt>
                  <dd data-testid="run-started">
                    {current().startedAt ? at(current().startedAt) : <span class="muted">{status() === "QUEUED" ? t("run.notStartedYet") : t("run.neverStarted")}</span>}
                  </dd>
                </div>
                <div>
                  <dt>{t("run.field.finished")}</dt>
                  <dd>{at(current().finishedAt)}</dd>
                </div>
                <div>
                  <dt>{t("run.field.duration")}</dt>
                  <dd>{formatDuration(current().durationMs) || "—"}</dd>
                </div>
                <div>
                  <dt>{t("run.field.traceId")}</dt>
                  <dd class="mono" data-testid="run-trace-id">{current().traceId ?? "—"}</dd>
                </div>
                <Show when={current().retries.length > 0}>
                  <div>
                    <dt>{t("run.field.retries")}</dt>
                    <dd>
                      {current().retries.map((r) => (
                        <A href={`/runs/${r.id}`} class="mono">
                          #{r.id}{" "}
                        </A>
                      ))}
                    </dd>
                  </div>
                </Show>
              </dl>
            </div>
            <Show when={current().message}>
              <div class="panel">
                <h2>{t("run.field.message")}</h2>
                <pre class="block" data-testid="run-message">{runMessageText(current())}</pre>
              </div>
            </Show>
            <Show when={current().traceback}>
              <div class="panel">
                <h2>{t("run.field.traceback")}</h2>
                <pre class="block error">{current().traceback}</pre>
              </div>
            </Show>
            <div class="panel">
              <h2>{t("run.field.runLog")}</h2>
              <LogViewer ref={(sink) => stream.attach(sink)} onDownload={downloadLog} live={active()} emptyLabel={active() ? t("log.waiting") : t("log.empty")} />
            </div>
            <div class="panel">
              <h2>{t("run.field.snapshot")}</h2>
              <p class="hint muted">{t("run.snapshotHint")}</p>
              <pre class="block" data-testid="snapshot">{JSON.stringify(current().snapshotParams, null, 2)}</pre>
            </div>
          </section>
        )}
      </Match>
    </Switch>
  );
};

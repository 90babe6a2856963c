import { useNavigate } from "@solidjs/router";
import { useClient } from "@urql/solid";
import { createSignal } from "solid-js";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { toast } from "../components/toasts.tsx";
import { errorMessage, unwrapPayload } from "../lib/action-result.ts";
import { deleteJobMutation, disableJobMutation, enableJobMutation, purgeLogsMutation, runNowMutation } from "../lib/queries/jobs.ts";
import { t } from "./i18n.ts";

/** The per-job actions of the job list (and editor): each confirms what it removes, then reports the outcome. */
export function createJobActions(onChanged: () => void) {
  const client = useClient();
  const navigate = useNavigate();
  const [busy, setBusy] = createSignal<string | null>(null);

  async function perform<T>(jobId: string, work: () => Promise<T>, success: (value: T) => string): Promise<T | undefined> {
    setBusy(jobId);
    try {
      const value = await work();
      toast("ok", () => success(value));
      onChanged();
      return value;
    } catch (error) {
      toast("error", () => errorMessage(error));
      return undefined;
    } finally {
      setBusy(null);
    }
  }

  return {
    busy,
    async runNow(jobId: string, openRun = false) {
      const log = await perform(
        jobId,
        async () => unwrapPayload<{ id: string }>(await client.mutation(runNowMutation, { jobId }).toPromise(), "runNow"),
        (l) => t("jobs.toast.runQueued", { id: jobId, run: l.id }),
      );
      if (log && openRun) navigate(`/runs/${log.id}`);
      return log;
    },
    async setEnabled(jobId: string, enabled: boolean) {
      if (!enabled) {
        const ok = await confirmAction({
          title: t("jobs.confirm.disableTitle", { id: jobId }),
          body: t("jobs.confirm.disableBody"),
          confirmLabel: t("jobs.action.disable"),
        });
        if (!ok) return;
      }
      const mutation = enabled ? enableJobMutation : disableJobMutation;
      const field = enabled ? "enableJob" : "disableJob";
      await perform(
        jobId,
        async () => unwrapPayload(await client.mutation(mutation, { id: jobId }).toPromise(), field),
        () => t(enabled ? "jobs.toast.enabled" : "jobs.toast.disabled", { id: jobId }),
      );
    },
    async purgeLogs(jobId: string) {
      const ok = await confirmAction({
        title: t("jobs.confirm.purgeTitle", { id: jobId }),
        body: t("jobs.confirm.purgeBody"),
        details: [t("jobs.confirm.purgeRemoves"), t("jobs.confirm.purgeKeeps")],
        confirmLabel: t("jobs.action.purge"),
        danger: true,
      });
      if (!ok) return;
      await perform(
        jobId,
        async () => unwrapPayload<{ deleted: number }>(await client.mutation(purgeLogsMutation, { jobId }).toPromise(), "purgeLogs"),
        (r) => t("jobs.toast.purged", { id: jobId, n: r?.deleted ?? 0 }),
      );
    },
    async deleteJob(jobId: string): Promise<boolean> {
      const ok = await confirmAction({
        title: t("jobs.confirm.deleteTitle", { id: jobId }),
        body: t("jobs.confirm.deleteBody"),
        details: [t("jobs.confirm.deleteRemovesJob"), t("jobs.confirm.deleteRemovesLogs")],
        confirmLabel: t("jobs.action.delete"),
        danger: true,
      });
      if (!ok) return false;
      const done = await perform(
        jobId,
        async () => {
          unwrapPayload(await client.mutation(deleteJobMutation, { id: jobId }).toPromise(), "deleteJob");
          return true;
        },
        () => t("jobs.toast.deleted", { id: jobId }),
      );
      return done === true;
    },
  };
}

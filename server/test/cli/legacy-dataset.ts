/**
 * The rows of an ordinary customer of the Python ConnectHub: 7 jobs and 54 logs with ids 1..54,
 * as its admin, dispatcher and worker wrote them (attempt counted from 0, microsecond times,
 * RUNNING rows the worker never finished, a six-field croniter expression).
 */
import type { LegacyJobRow, LegacyLogRow } from "./legacy-database.ts";

export const SECRETS = [
  { rest_user: "oa-rest", rest_password: "pw-1", loginName: "sync" },
  { rest_user: "oa-export", rest_password: "pw-2" },
  { company_id: "c1", client_id: "id", client_secret: "didi-secret", sign_key: "k" },
];

const HANDLER = "extensions.sync_oa_to_didi.job:SyncOAToDidiTokenJob";

export function ordinaryJobs(tokens: string[], zoned: boolean): LegacyJobRow[] {
  const at = (text: string) => (zoned ? `${text}+08:00` : text);
  const job = (id: string, cron: string, extra: Partial<LegacyJobRow> = {}): LegacyJobRow => ({
    id, enabled: true, cron_expr: cron, handler_path: HANDLER, public_cfg: `{"base_url": "https://oa.example.com"}`, secret_cfg: null,
    last_run_at: null, created_at: "2025-01-10 08:00:00", updated_at: "2025-01-10 08:00:00", ...extra,
  });
  return [
    job("oa.sync_members", "*/5 * * * *", { secret_cfg: tokens[0]!, last_run_at: at("2025-03-01 09:00:00") }),
    job("oa.export_form", "0 */4 * * * 0", { secret_cfg: tokens[1]!, handler_path: "extensions.sync_oa_to_didi.job:SyncOAToDidiExportFormJob" }),
    job("didi.legal_entity", "30 8 * * 1-5", { secret_cfg: tokens[2]!, handler_path: "extensions.sync_oa_to_didi.job:SyncOAToDidiLegalEntitySyncJob" }),
    job("example.hello", "0 9 * * 1-5", { enabled: false, handler_path: "extensions.example.job:ExampleJob", public_cfg: `{"name": "Mars"}` }),
    job("hr.sync", "*/10 * * * * 30"),
    job("report.weekly", "0 0 * * 0", { public_cfg: "{}" }),
    job("ops.cleanup", "15 3 * * *", { public_cfg: "{}" }),
  ];
}

/** Local (Asia/Shanghai) wall time of log i's start: ten minutes apart from midnight 2025-03-01. */
export function startText(i: number, second = "05.250123"): string {
  const minutes = i * 10;
  const day = 1 + Math.floor(minutes / 1440);
  const hh = String(Math.floor((minutes % 1440) / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `2025-03-${String(day).padStart(2, "0")} ${hh}:${mm}:${second}`;
}

export function ordinaryLogs(tokens: string[], options: { queued: boolean; createdAt: boolean }): LegacyLogRow[] {
  const jobIds = ["oa.sync_members", "oa.export_form", "didi.legal_entity", "example.hello", "hr.sync"];
  const logs: LegacyLogRow[] = [];
  for (let id = 1; id <= 54; id += 1) {
    const jobId = jobIds[(id - 1) % jobIds.length]!;
    const failed = id % 7 === 0;
    const snapshot = { handler_path: HANDLER, public_cfg: { base_url: "https://oa.example.com" }, secret_cfg: tokens[0], meta: { trigger: id % 5 === 0 ? "manual" : "cron" } };
    logs.push({
      id, job_id: jobId, status: failed ? "FAILURE" : "SUCCESS", snapshot_params: JSON.stringify(snapshot),
      message: failed ? "HTTP 401" : "ok", traceback: failed ? "Traceback (most recent call last):\n  ...\nHTTPError: 401" : null,
      run_log: `INFO run ${id}\nWARNING 登录失败\n`, celery_task_id: `c0ffee-${id}`, attempt: id <= 40 ? 0 : 1,
      started_at: startText(id), finished_at: startText(id, "07"),
      ...(options.createdAt ? { created_at: startText(id, "05") } : {}),
    });
  }
  // The worker died: RUNNING, never started nor finished (its job has a last_run_at, then one without).
  Object.assign(logs[49]!, { job_id: "oa.sync_members", status: "RUNNING", started_at: null, finished_at: null, message: null });
  Object.assign(logs[50]!, { job_id: "ops.cleanup", status: "RUNNING", started_at: null, finished_at: null, message: null });
  // Queued by beat, never picked up (the current layout's CHECK allows QUEUED).
  if (options.queued) Object.assign(logs[51]!, { status: "QUEUED", started_at: startText(52), finished_at: null, message: null });
  // A retry of log 49, made by the admin's Retry button.
  logs[52]!.snapshot_params = JSON.stringify({ handler_path: HANDLER, public_cfg: {}, meta: { trigger: "retry", retry_of: 49 } });
  return logs;
}

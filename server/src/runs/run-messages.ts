// Every message the server stores on a run, as a stable code, its parameters and the English text.
// The admin renders the code from its catalogue in the user's language and falls back to `text`;
// API clients and webhooks read `text`. Adding a code: add it here and to web/src/i18n (run.msg.*).

export type RunMessageParams = Record<string, string | number>;

/** Why a fired run was withdrawn before it started (the `reason` parameter of RUN_WITHDRAWN). */
const WITHDRAW_REASONS = {
  JOB_DELETED: "the job was deleted",
  JOB_DISABLED: "the job was disabled",
  DATE_ALREADY_FIRED: "the date trigger already fired",
  TRIGGER_CHANGED: "the job's trigger or time zone changed",
  TRIGGER_BECAME_INVALID: "the job's trigger became invalid",
  TRIGGER_INVALID: "its trigger is invalid: {detail}",
  OTHER: "{detail}",
} as const;
export type WithdrawReason = keyof typeof WITHDRAW_REASONS;

/** English templates; `{name}` is replaced by the parameter of that name. */
const TEXT = {
  RUN_SUCCEEDED: "Run succeeded.",
  /** `error`: the handler's error as `Name: message` (its own words, not translated). */
  RUN_FAILED: "{error}",
  /** The job's config no longer matches its handler's schemas (`jobId`, `problems`: "field: problem; …"); `error` as for RUN_FAILED. */
  RUN_CONFIG_INVALID: "{error}",
  /** The job's secret config cannot be decrypted or read (`jobId`); `error` as for RUN_FAILED. */
  RUN_SECRET_CONFIG_UNUSABLE: "{error}",
  RUN_ABORTED: "Run aborted.",
  RUN_CANCELLED: "Cancelled by an operator.",
  RUN_CANCELLED_AT_START: "Cancelled by an operator as it started.",
  RUN_CANCELLED_BEFORE_START: "Cancelled before it started.",
  RUN_TIMED_OUT: "Run exceeded its timeout of {seconds} s (the job's timeoutSeconds, or JOB_TIMEOUT_SECONDS).",
  RUN_WORKER_SHUTDOWN: "The worker shut down and the run did not finish within SHUTDOWN_GRACE_SECONDS ({seconds} s); run it again.",
  /** `cause`: the code of why it was aborted (with its parameters beside); `graceSeconds`: how long it was given. */
  RUN_HANDLER_STUCK:
    "{causeText} The handler did not stop within {graceSeconds} s of being asked to (it ignores ctx.signal); the run was ended without it and its code may still be running in the worker.",
  /** `reason`: a WithdrawReason; `detail`: its detail, if any. */
  RUN_WITHDRAWN: "Withdrawn before it started: {reasonText}.",
  RUN_SKIPPED_OVERLAP: "Not started: run #{blockingId} was still {blockingStatus} (allowOverlap is off).",
  RUN_ABANDONED:
    "Abandoned: its worker stopped sending heartbeats for more than {seconds} s (killed, crashed or cut off while running). The handler may have partly done its work; check before retrying.",
  RUN_CLOSED_BY_RESTORE: "Closed by restore: the run was in flight when the backup was taken.",
} as const;
export type RunMessageCode = keyof typeof TEXT;

export interface RunMessage {
  code: RunMessageCode;
  params: RunMessageParams;
  /** The English text stored in `message` (the fallback for clients without a catalogue). */
  text: string;
}

function fill(template: string, params: RunMessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function runMessage(code: RunMessageCode, params: RunMessageParams = {}): RunMessage {
  return { code, params, text: fill(TEXT[code], params) };
}

export function withdrawnRunMessage(reason: WithdrawReason, detail?: string): RunMessage {
  const params: RunMessageParams = detail === undefined ? { reason } : { reason, detail };
  return { code: "RUN_WITHDRAWN", params, text: fill(TEXT.RUN_WITHDRAWN, { reasonText: fill(WITHDRAW_REASONS[reason], params) }) };
}

/**
 * The scheduler decides withdrawals in words (kept in fire-record notes and logs); this finds the
 * reason code those words stand for. Words it does not know stay as `detail` of OTHER.
 */
export function withdrawnMessageFor(reasonText: string): RunMessage {
  for (const [reason, template] of Object.entries(WITHDRAW_REASONS) as [WithdrawReason, string][]) {
    const [head, tail] = template.split("{detail}");
    if (tail === undefined ? reasonText === head : reasonText.startsWith(head!) && reasonText.endsWith(tail)) {
      return withdrawnRunMessage(reason, tail === undefined ? undefined : reasonText.slice(head!.length, reasonText.length - tail.length));
    }
  }
  return withdrawnRunMessage("OTHER", reasonText);
}

/** A handler that ignored its abort: the abort's own message, then why the run was ended without it. */
export function stuckRunMessage(cause: RunMessage, graceSeconds: number): RunMessage {
  const params: RunMessageParams = { ...cause.params, cause: cause.code, graceSeconds };
  return { code: "RUN_HANDLER_STUCK", params, text: fill(TEXT.RUN_HANDLER_STUCK, { ...params, causeText: cause.text }) };
}

/** The columns a run's message is stored in (`message` holds the English text). */
export function messageColumns(message: RunMessage): { message: string; messageCode: string; messageParams: RunMessageParams } {
  return { message: message.text, messageCode: message.code, messageParams: message.params };
}

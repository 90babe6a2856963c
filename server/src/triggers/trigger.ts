/** What makes a job fire. Instants are real `Date`s; wall-clock meaning lives only in CRON. */

export type TriggerType = "CRON" | "INTERVAL" | "DATE";

export interface CronTrigger {
  readonly type: "CRON";
  /** 5 fields, or 6 with seconds first; evaluated in the job's time zone. */
  readonly cronExpr: string;
}

export interface IntervalTrigger {
  readonly type: "INTERVAL";
  readonly intervalSeconds: number;
  /** Slots are `startAt + k * intervalSeconds` for k ≥ 0, whatever the zone. */
  readonly startAt: Date;
}

export interface DateTrigger {
  readonly type: "DATE";
  readonly runAt: Date;
}

export type Trigger = CronTrigger | IntervalTrigger | DateTrigger;

export const TRIGGER_TYPES: readonly TriggerType[] = ["CRON", "INTERVAL", "DATE"];

/** 366 days: long enough for "yearly", short enough to catch a value typed in milliseconds. */
export const MAX_INTERVAL_SECONDS = 366 * 24 * 60 * 60;

/** The slots the dispatcher must consider in one window, oldest first. */
export interface SlotWindow {
  readonly slots: Date[];
  /** More slots exist in the window than `limit` allowed; the oldest `limit` were returned. */
  readonly truncated: boolean;
}

import { DateTime } from "luxon";

/** The periods the dashboard summarises; each has its own chart bucket. */
export type DashboardWindow = "LAST_24H" | "LAST_7D";

export interface WindowSpan {
  window: DashboardWindow;
  /** Runs created at or after this instant and up to `until` count. */
  since: Date;
  until: Date;
  /** Chart buckets: hours for a day, days (in the server's zone) for a week. */
  unit: "hour" | "day";
  /** Start of each bucket, oldest first; the first one may begin before `since` (partial). */
  bucketStarts: Date[];
}

const HOURS: Record<DashboardWindow, number> = { LAST_24H: 24, LAST_7D: 24 * 7 };

/** The window ending at `now`, with bucket starts aligned the way PostgreSQL's date_trunc aligns them. */
export function windowSpan(window: DashboardWindow, now: Date, zone: string): WindowSpan {
  const since = new Date(now.getTime() - HOURS[window] * 3_600_000);
  const unit = window === "LAST_24H" ? "hour" : "day";
  const bucketStarts: Date[] = [];
  for (let at = DateTime.fromJSDate(since, { zone }).startOf(unit); at.toMillis() <= now.getTime(); at = at.plus({ [unit + "s"]: 1 })) {
    bucketStarts.push(at.toJSDate());
  }
  return { window, since, until: now, unit, bucketStarts };
}

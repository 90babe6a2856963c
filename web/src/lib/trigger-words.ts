import cronstrue from "cronstrue";
import "cronstrue/locales/zh_CN";
import { locale, t, type Locale } from "../stores/i18n.ts";

export interface TriggerFields {
  triggerType: "CRON" | "INTERVAL" | "DATE";
  cronExpr?: string | null;
  intervalSeconds?: number | null;
  startAt?: string | null;
}

const CRONSTRUE_LOCALES: Record<Locale, string> = { en: "en", "zh-CN": "zh_CN" };

/**
 * A cron expression in words (cronstrue; five fields, or six with seconds first, as the server
 * accepts), in the admin's language; one it cannot read is shown as it is.
 */
export function describeCron(expr: string): string {
  try {
    return cronstrue.toString(expr.trim(), { locale: CRONSTRUE_LOCALES[locale()], use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return t("trigger.cronRaw", { expr });
  }
}

/** "every 90 seconds" → the largest whole unit. */
export function describeInterval(seconds: number): string {
  if (seconds % 86400 === 0) return t("trigger.everyNDays", { n: seconds / 86400 });
  if (seconds % 3600 === 0) return t("trigger.everyNHours", { n: seconds / 3600 });
  if (seconds % 60 === 0) return t("trigger.everyNMinutes", { n: seconds / 60 });
  return t("trigger.everyNSeconds", { n: seconds });
}

/** The trigger in words; `formatInstant` renders the date trigger's instant in the server zone. */
export function describeTrigger(job: TriggerFields, formatInstant: (iso: string) => string): string {
  switch (job.triggerType) {
    case "CRON":
      return job.cronExpr ? describeCron(job.cronExpr) : t("trigger.none");
    case "INTERVAL":
      return job.intervalSeconds ? describeInterval(job.intervalSeconds) : t("trigger.none");
    case "DATE":
      return job.startAt ? t("trigger.onceAt", { time: formatInstant(job.startAt) }) : t("trigger.none");
  }
}

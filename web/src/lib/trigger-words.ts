import { t } from "../stores/i18n.ts";

export interface TriggerFields {
  triggerType: "CRON" | "INTERVAL" | "DATE";
  cronExpr?: string | null;
  intervalSeconds?: number | null;
  startAt?: string | null;
}

const pad = (n: string) => n.padStart(2, "0");
const isNumber = (s: string) => /^\d+$/.test(s);

function weekdayNames(field: string): string | null {
  const names = t("trigger.weekdays").split(",");
  const days: string[] = [];
  for (const part of field.split(",")) {
    const range = /^(\d)(?:-(\d))?$/.exec(part);
    if (!range) return null;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from || to > 7) return null;
    for (let d = from; d <= to; d++) days.push(names[d % 7]!);
  }
  return days.join(t("trigger.listSeparator"));
}

/** Common five-field cron shapes in words; anything else is shown as the expression itself. */
export function describeCron(expr: string): string {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return t("trigger.cronRaw", { expr });
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const step = /^\*\/(\d+)$/;
  if (month !== "*") return t("trigger.cronRaw", { expr });
  if (dom === "*" && dow === "*") {
    if (minute === "*" && hour === "*") return t("trigger.everyMinute");
    const ms = step.exec(minute);
    if (ms && hour === "*") return t("trigger.everyNMinutes", { n: ms[1]! });
    if (isNumber(minute) && hour === "*") return t("trigger.hourlyAt", { minute: pad(minute) });
    const hs = step.exec(hour);
    if (isNumber(minute) && hs) return t("trigger.everyNHoursAt", { n: hs[1]!, minute: pad(minute) });
    if (isNumber(minute) && isNumber(hour)) return t("trigger.dailyAt", { time: `${pad(hour)}:${pad(minute)}` });
  }
  if (isNumber(minute) && isNumber(hour)) {
    const time = `${pad(hour)}:${pad(minute)}`;
    if (dom === "*" && dow !== "*") {
      const days = weekdayNames(dow);
      if (days) return t("trigger.weeklyAt", { days, time });
    }
    if (isNumber(dom) && dow === "*") return t("trigger.monthlyAt", { day: dom, time });
  }
  return t("trigger.cronRaw", { expr });
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

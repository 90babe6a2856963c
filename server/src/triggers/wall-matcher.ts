import type { CronFieldCollection } from "cron-parser";

// cron-parser steps through time with luxon DateTimes, ~30 µs per match found. Catching up a
// day of downtime for thousands of minutely jobs would take seconds, so matches are found here
// over cron-parser's own parsed value sets, ~1 µs each. The day rules copy cron-parser's
// (CronExpression#matchDayOfMonth), and a test compares both on hundreds of expressions.

const DAY_MS = 86_400_000;
/** Days and month jumps scanned before handing over to cron-parser (rare schedules like 29 Feb). */
const SCAN_LIMIT = 4000;

export interface WallMatcher {
  /** First matching wall time strictly after `wall`, or undefined when cron-parser must answer. */
  nextAfter(wall: number): number | undefined;
}

export function wallMatcherFor(fields: CronFieldCollection): WallMatcher {
  const dayOfMonth = fields.dayOfMonth;
  const dayOfWeek = fields.dayOfWeek;
  const numbers = (values: readonly (number | string)[]) =>
    values.filter((v): v is number => typeof v === "number").sort((a, b) => a - b);

  const seconds = numbers(fields.second.values);
  const minutes = numbers(fields.minute.values);
  const hours = numbers(fields.hour.values);
  const months = new Set(numbers(fields.month.values));
  const days = new Set(numbers(dayOfMonth.values));
  const lastDayOfMonth = dayOfMonth.hasLastChar;
  const weekdays = new Set(numbers(dayOfWeek.values).map((d) => d % 7));
  const nth = dayOfWeek.nthDay;
  // "5L" is the last Friday; cron-parser reads the weekday from the first character of every value.
  const lastWeekdays = dayOfWeek.hasLastChar
    ? new Set(dayOfWeek.values.map((v) => Number.parseInt(String(v).charAt(0), 10) % 7))
    : null;
  const anyDayOfMonth = dayOfMonth.isWildcard;
  const anyDayOfWeek = dayOfWeek.isWildcard;

  const dayMatches = (day: number, weekday: number, daysInMonth: number): boolean => {
    const byDayOfMonth = days.has(day) || (lastDayOfMonth && day === daysInMonth);
    const byDayOfWeek =
      (weekdays.has(weekday) && (nth <= 0 || Math.ceil(day / 7) === nth)) ||
      (lastWeekdays !== null && day + 7 > daysInMonth && lastWeekdays.has(weekday));
    if (!anyDayOfMonth && !anyDayOfWeek) return byDayOfMonth || byDayOfWeek;
    if (anyDayOfWeek) return byDayOfMonth;
    return byDayOfWeek;
  };

  /** First [h, m, s] at or after the given time of day, or null if the day has none left. */
  const timeAtOrAfter = (h: number, m: number, s: number): [number, number, number] | null => {
    for (const hour of hours) {
      if (hour < h) continue;
      const fromMinute = hour === h ? m : 0;
      for (const minute of minutes) {
        if (minute < fromMinute) continue;
        const fromSecond = hour === h && minute === m ? s : 0;
        const second = seconds.find((v) => v >= fromSecond);
        if (second !== undefined) return [hour, minute, second];
      }
    }
    return null;
  };

  return {
    nextAfter(wall) {
      const start = Math.floor(wall / 1000) * 1000 + 1000;
      let epochDay = Math.floor(start / DAY_MS);
      let secondOfDay = (start - epochDay * DAY_MS) / 1000;
      for (let scanned = 0; scanned < SCAN_LIMIT; scanned++) {
        const date = new Date(epochDay * DAY_MS);
        const year = date.getUTCFullYear();
        const month = date.getUTCMonth();
        if (!months.has(month + 1)) {
          epochDay = Date.UTC(year, month + 1, 1) / DAY_MS;
          secondOfDay = 0;
          continue;
        }
        const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
        if (dayMatches(date.getUTCDate(), date.getUTCDay(), daysInMonth)) {
          const h = Math.floor(secondOfDay / 3600);
          const time = timeAtOrAfter(h, Math.floor((secondOfDay % 3600) / 60), secondOfDay % 60);
          if (time !== null) return epochDay * DAY_MS + ((time[0] * 60 + time[1]) * 60 + time[2]) * 1000;
        }
        epochDay += 1;
        secondOfDay = 0;
      }
      return undefined;
    },
  };
}

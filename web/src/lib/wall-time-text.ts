import { wallTimeToInstant } from "./format.ts";

/**
 * Typed date-times for filters: "YYYY-MM-DD", "YYYY-MM-DD HH:mm" or "YYYY-MM-DD HH:mm:ss" (the order
 * the admin shows times in, in every language), to the datetime-local form "YYYY-MM-DDTHH:mm[:ss]"
 * the rest of the admin reads. A browser's own date input follows the browser's locale (mm/dd/yyyy
 * in an English Chromium) rather than the admin's language, hence text.
 */
export function parseWallTimeText(text: string, endOfDay = false): string | null | "invalid" {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(trimmed);
  if (!m) return "invalid";
  const [year, month, day] = [+m[1]!, +m[2]!, +m[3]!];
  const [hour, minute, second] = m[4] === undefined ? (endOfDay ? [23, 59, 59] : [0, 0, 0]) : [+m[4], +m[5]!, +(m[6] ?? 0)];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return "invalid";
  const two = (n: number) => String(n).padStart(2, "0");
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}${second ? `:${two(second)}` : ""}`;
}

/** The datetime-local form back to what the filter input shows. */
export function wallTimeText(wall: string | undefined): string {
  return wall ? wall.replace("T", " ") : "";
}

/** Typed text read as a wall time in `zone`: the instant (ISO), null when empty, or "invalid". */
export function wallTextToInstant(text: string, zone: string): string | null | "invalid" {
  const wall = parseWallTimeText(text);
  if (wall === null || wall === "invalid") return wall;
  return wallTimeToInstant(wall, zone) ?? "invalid";
}

// Instants are shown in the server's zone with their UTC offset, whatever the browser's zone is.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** "+08:00" style offset from Intl's "GMT+08:00" (plain "GMT" is UTC). */
function offsetOf(name: string): string {
  const m = /GMT([+-]\d{1,2})(?::?(\d{2}))?/.exec(name);
  if (!m) return "+00:00";
  const sign = m[1]!.startsWith("-") ? "-" : "+";
  const hours = m[1]!.replace(/[+-]/, "").padStart(2, "0");
  return `${sign}${hours}:${m[2] ?? "00"}`;
}

/** "2025-03-01 08:00:00 +08:00" in `zone`; "" for a missing or invalid instant. */
export function formatInstant(value: string | Date | null | undefined, zone: string): string {
  if (value === null || value === undefined || value === "") return "";
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatterFor(zone).formatToParts(date);
  } catch {
    parts = formatterFor("UTC").formatToParts(date);
  }
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")} ${offsetOf(get("timeZoneName"))}`;
}

/** A run's duration: "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const totalSeconds = Math.round(s);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Duration between two instants (ISO strings), or null when either is missing. */
export function durationBetween(start: string | null | undefined, end: string | null | undefined): number | null {
  if (!start || !end) return null;
  const ms = new Date(end).getTime() - new Date(start).getTime();
  return Number.isFinite(ms) ? ms : null;
}

/** UTF-8 byte length: run-log offsets from the server count bytes, not UTF-16 code units. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function offsetMinutesAt(instant: number, zone: string): number {
  const parts = formatterFor(zone).formatToParts(new Date(instant));
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const [sign, rest] = [offsetOf(name).startsWith("-") ? -1 : 1, offsetOf(name).slice(1)];
  const [h, m] = rest.split(":").map(Number) as [number, number];
  return sign * (h * 60 + m);
}

/**
 * The instant (ISO, UTC) of a wall-clock time "YYYY-MM-DDTHH:mm[:ss]" read in `zone` (as typed in a
 * datetime-local input that means the server's zone); null when the text is not such a time.
 */
export function wallTimeToInstant(wall: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // Two passes settle the offset even when the guess lands on the other side of a DST change.
  let instant = asUtc - offsetMinutesAt(asUtc, zone) * 60_000;
  instant = asUtc - offsetMinutesAt(instant, zone) * 60_000;
  return new Date(instant).toISOString();
}

/** The wall-clock "YYYY-MM-DDTHH:mm" of an instant in `zone`, for a datetime-local input. */
export function instantToWallTime(value: string | null | undefined, zone: string, seconds = false): string {
  const shown = formatInstant(value, zone);
  return shown ? shown.slice(0, seconds ? 19 : 16).replace(" ", "T") : "";
}

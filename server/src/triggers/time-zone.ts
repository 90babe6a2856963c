import { IANAZone } from "luxon";
import { TriggerValidationError } from "./trigger-errors.ts";

/** The original system's zone; jobs without their own zone and no configured TIMEZONE use it. */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** "+08:00", "-0530", "+8": an offset, not a zone. */
const OFFSET_ONLY = /^[+-]\d/;

/** Zone names checked so far: the check builds an Intl formatter, and every fired run's start asks. */
const zoneValidity = new Map<string, boolean>();

export function isValidTimeZone(name: string): boolean {
  let valid = zoneValidity.get(name);
  if (valid === undefined) {
    // Intl trims nothing, but reject padding explicitly so a stored name is exactly what is evaluated.
    // Newer Intl (Node 24's ICU) also accepts bare UTC offsets such as "+08:00"; they are not zone
    // names (no daylight-saving rules, and the original stored IANA names), so they stay refused.
    valid = name.trim() === name && name !== "" && !OFFSET_ONLY.test(name) && IANAZone.isValidZone(name);
    if (zoneValidity.size < 10_000) zoneValidity.set(name, valid);
  }
  return valid;
}

export function assertValidTimeZone(name: string): string {
  if (!isValidTimeZone(name)) {
    throw new TriggerValidationError(
      "timezone",
      `timezone "${name}" is not a known IANA time zone; use a name like "Asia/Shanghai", "Europe/Berlin" or "UTC", or leave it empty for the server default`,
      "TIMEZONE_UNKNOWN",
      { zone: name },
    );
  }
  return name;
}

/** A job's zone, or the server default when the job has none (null/empty). */
export function resolveTimeZone(jobZone: string | null | undefined, serverDefault: string = DEFAULT_TIME_ZONE): string {
  return assertValidTimeZone(jobZone === null || jobZone === undefined || jobZone === "" ? serverDefault : jobZone);
}

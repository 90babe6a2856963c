import { badInput } from "./errors.ts";

/**
 * A count argument within its documented range, or a BAD_USER_INPUT error naming it. Out-of-range
 * counts are refused, never clamped: a client asking for 101 and silently getting 100 would think
 * it had everything.
 */
export function countInRange(name: string, value: number | null | undefined, fallback: number, min: number, max: number): number {
  const count = value ?? fallback;
  if (!Number.isInteger(count) || count < min || count > max) {
    throw badInput(`${name} must be between ${min} and ${max}; got ${count}.`);
  }
  return count;
}

/** A byte offset into a run log: 0 or more. */
export function offsetArg(name: string, value: number | null | undefined): number {
  const offset = value ?? 0;
  if (offset < 0) throw badInput(`${name} must be 0 or more (a byte offset from the start of the log); got ${offset}.`);
  return offset;
}

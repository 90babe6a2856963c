import { BASE_JOB_BRAND, BaseJob, type BaseJobClass } from "./base-job.ts";

/** A class extending BaseJob (not BaseJob itself), from this or another copy of the module. */
export function isBaseJobClass(value: unknown): value is BaseJobClass {
  if (typeof value !== "function" || value === BaseJob) return false;
  if (value.prototype instanceof BaseJob) return true;
  // Another module copy: the brand is inherited, but its own BaseJob carries it too.
  const branded = (value as unknown as Record<symbol, unknown>)[BASE_JOB_BRAND] === true;
  return branded && !Object.hasOwn(value, BASE_JOB_BRAND);
}

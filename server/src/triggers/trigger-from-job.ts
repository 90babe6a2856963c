import { compileCron } from "./cron-expression.ts";
import { validateIntervalSeconds } from "./interval-trigger.ts";
import { DEFAULT_TIME_ZONE, resolveTimeZone } from "./time-zone.ts";
import { TRIGGER_TYPES, type Trigger, type TriggerType } from "./trigger.ts";
import { type TriggerField, TriggerValidationError } from "./trigger-errors.ts";

/** The trigger columns of a Job row (Prisma's `Job` satisfies this), or the same fields of an API input. */
export interface JobTriggerFields {
  readonly triggerType: string;
  readonly cronExpr?: string | null;
  readonly intervalSeconds?: number | null;
  readonly startAt?: Date | null;
  readonly timezone?: string | null;
}

/** A validated trigger and the zone its wall-clock times are read in. */
export interface JobSchedule {
  readonly trigger: Trigger;
  readonly zone: string;
}

/**
 * Builds and validates a job's trigger; throws TriggerValidationError naming the first bad field.
 * Columns that do not belong to the trigger type (a leftover cronExpr on an INTERVAL job) are ignored.
 */
export function triggerFromJob(job: JobTriggerFields, serverZone: string = DEFAULT_TIME_ZONE): JobSchedule {
  const zone = resolveTimeZone(job.timezone, serverZone);
  const type = triggerTypeOf(job.triggerType);
  switch (type) {
    case "CRON":
      return { zone, trigger: validateTrigger({ type, cronExpr: required(job.cronExpr, "cronExpr", type) }) };
    case "INTERVAL":
      return {
        zone,
        trigger: validateTrigger({
          type,
          intervalSeconds: required(job.intervalSeconds, "intervalSeconds", type),
          startAt: required(job.startAt, "startAt", type),
        }),
      };
    case "DATE":
      return { zone, trigger: validateTrigger({ type, runAt: required(job.startAt, "startAt", type) }) };
  }
}

/** Throws TriggerValidationError unless the trigger can be scheduled; returns it unchanged. */
export function validateTrigger<T extends Trigger>(trigger: T): T {
  switch (trigger.type) {
    case "CRON":
      compileCron(trigger.cronExpr);
      break;
    case "INTERVAL":
      validateIntervalSeconds(trigger.intervalSeconds);
      validateInstant(trigger.startAt, "the anchor interval slots count from");
      break;
    case "DATE":
      validateInstant(trigger.runAt, "the instant the job runs");
      break;
  }
  return trigger;
}

function triggerTypeOf(value: string): TriggerType {
  const found = TRIGGER_TYPES.find((type) => type === value);
  if (found === undefined) {
    throw new TriggerValidationError("triggerType", `triggerType "${value}" is not one of ${TRIGGER_TYPES.join(", ")}`, "NOT_ONE_OF", { values: TRIGGER_TYPES.join(", ") });
  }
  return found;
}

const NEEDED_FOR: Record<string, string> = {
  cronExpr: "the cron expression, e.g. \"0 9 * * *\"",
  intervalSeconds: "the number of seconds between runs",
  startAt: "the instant to run at (DATE) or the anchor interval slots count from (INTERVAL)",
};

function required<V>(value: V | null | undefined, field: TriggerField, type: TriggerType): V {
  if (value === null || value === undefined) {
    throw new TriggerValidationError(field, `${field} is required when triggerType is ${type}: ${NEEDED_FOR[field] ?? field}`, "REQUIRED_FOR_TRIGGER", { triggerType: type });
  }
  return value;
}

function validateInstant(value: Date, meaning: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TriggerValidationError("startAt", `startAt must be a valid date-time with a zone or offset (${meaning})`, "DATE_TIME_INVALID");
  }
}

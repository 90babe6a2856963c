export type TriggerField = "triggerType" | "cronExpr" | "intervalSeconds" | "startAt" | "timezone";

/** A trigger a job cannot be scheduled with. The message names the field and says what to write instead. */
export class TriggerValidationError extends Error {
  override readonly name = "TriggerValidationError";
  readonly code = "TRIGGER_INVALID";
  readonly field: TriggerField;
  /** Which problem (CRON_INVALID, TIMEZONE_UNKNOWN, …) and the values it names, for clients that word it themselves. */
  readonly reason: string;
  readonly params: Record<string, string | number>;
  constructor(
    field: TriggerField,
    message: string,
    reason = "TRIGGER_INVALID",
    params: Record<string, string | number> = {},
  ) {
    super(message);
    this.field = field;
    this.reason = reason;
    this.params = params;
  }
}

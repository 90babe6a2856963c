export type TriggerField = "triggerType" | "cronExpr" | "intervalSeconds" | "startAt" | "timezone";

/** A trigger a job cannot be scheduled with. The message names the field and says what to write instead. */
export class TriggerValidationError extends Error {
  override readonly name = "TriggerValidationError";
  readonly code = "TRIGGER_INVALID";
  readonly field: TriggerField;
  constructor(
    field: TriggerField,
    message: string,
  ) {
    super(message);
    this.field = field;
  }
}

import { builder } from "../builder.ts";
import { ActionRefusedError, ApiError, NotFoundError, TriggerInvalidError, ValidationError, type FieldError } from "../errors.ts";

export const ErrorInterface = builder.interfaceRef<ApiError>("Error").implement({
  description: "Every expected failure: a stable `code` and a message that says what to do.",
  fields: (t) => ({
    code: t.exposeString("code"),
    message: t.exposeString("message"),
    params: t.field({ type: "JSON", description: "The values the message names (ids, statuses), keyed by name: to word `code` in another language.", resolve: (e) => e.params ?? {} }),
  }),
});

export const FieldErrorRef = builder.objectRef<FieldError>("FieldError").implement({
  description: "One bad input field: `field` is the input's name (or a path inside it, e.g. `publicCfg.name`).",
  fields: (t) => ({
    field: t.exposeString("field"),
    message: t.exposeString("message"),
    code: t.string({ nullable: true, description: "Stable code of the problem, when it has one (the message is the fallback wording).", resolve: (e) => e.code ?? null }),
    params: t.field({ type: "JSON", nullable: true, resolve: (e) => e.params ?? null }),
  }),
});

builder.objectType(NotFoundError, { name: "NotFoundError", interfaces: [ErrorInterface], fields: () => ({}) });

builder.objectType(ValidationError, {
  name: "ValidationError",
  description: "Nothing was written; every failing field is listed.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    fieldErrors: t.field({ type: [FieldErrorRef], resolve: (e) => e.fieldErrors }),
  }),
});

builder.objectType(ActionRefusedError, {
  name: "ActionRefusedError",
  description: "The action is not possible in the current state (e.g. retrying a run that is still RUNNING).",
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

builder.objectType(TriggerInvalidError, {
  name: "TriggerInvalidError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ field: t.exposeString("field") }),
});

import type { TriggerType } from "../../generated/prisma/enums.ts";
import { nextFireTimes, resolveTimeZone, triggerFromJob, TriggerValidationError } from "../../triggers/index.ts";
import { countInRange } from "../arg-checks.ts";
import { builder } from "../builder.ts";
import { TriggerInvalidError } from "../errors.ts";
import { withIntervalAnchor } from "../job-input/job-columns.ts";
import { TriggerTypeEnum } from "./enums.ts";

const MAX_PREVIEW = 100;

const TriggerPreviewInput = builder.inputType("TriggerPreviewInput", {
  fields: (t) => ({
    triggerType: t.field({ type: TriggerTypeEnum, required: true }),
    cronExpr: t.string({ required: false }),
    intervalSeconds: t.int({ required: false }),
    startAt: t.field({ type: "DateTime", required: false }),
    timezone: t.string({ required: false, description: "Empty = the server's TIMEZONE." }),
    count: t.int({ defaultValue: 5, description: `1–${MAX_PREVIEW}.` }),
    after: t.field({ type: "DateTime", required: false, description: "Default: now." }),
  }),
});

interface PreviewArgs {
  triggerType: TriggerType;
  cronExpr?: string | null;
  intervalSeconds?: number | null;
  startAt?: Date | null;
  timezone?: string | null;
  count?: number | null;
  after?: Date | null;
}

/** The next instants of a trigger, or TriggerInvalidError naming the field to fix. */
function preview(args: PreviewArgs, serverZone: string): Date[] {
  const count = countInRange("count", args.count, 5, 1, MAX_PREVIEW);
  try {
    resolveTimeZone(args.timezone || null, serverZone);
    // An INTERVAL without startAt previews as if saved now (what saving it would store).
    const { trigger, zone } = triggerFromJob(withIntervalAnchor({ ...args, timezone: args.timezone || null }, new Date()), serverZone);
    return nextFireTimes(trigger, zone, args.after ?? new Date(), count);
  } catch (error) {
    if (error instanceof TriggerValidationError) throw new TriggerInvalidError(error.field, error.message, error.reason, error.params);
    throw error;
  }
}

builder.queryFields((t) => ({
  triggerPreview: t.field({
    type: ["DateTime"],
    description: "The next instants a trigger fires, computed exactly as the dispatcher does.",
    errors: { types: [TriggerInvalidError] },
    args: { input: t.arg({ type: TriggerPreviewInput, required: true }) },
    resolve: (_root, { input }, ctx) => preview(input, ctx.runtime.config.TIMEZONE),
  }),
  cronPreview: t.field({
    type: ["DateTime"],
    description: "Shorthand for triggerPreview with triggerType CRON.",
    errors: { types: [TriggerInvalidError] },
    args: { expr: t.arg.string({ required: true }), timezone: t.arg.string({ required: false }), count: t.arg.int({ defaultValue: 5, description: `1–${MAX_PREVIEW}.` }) },
    resolve: (_root, args, ctx) => preview({ triggerType: "CRON", cronExpr: args.expr, timezone: args.timezone, count: args.count }, ctx.runtime.config.TIMEZONE),
  }),
}));

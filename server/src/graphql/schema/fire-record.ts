import { FireOutcome } from "../../generated/prisma/enums.ts";
import { builder } from "../builder.ts";
import { JobLogRef } from "./job-log.ts";

const FireOutcomeEnum = builder.enumType(FireOutcome, {
  name: "FireOutcome",
  description: "FIRED: a run was queued for the slot; CATCHUP: a missed slot run late; SKIPPED_MISFIRE: missed beyond the grace time; SKIPPED_OVERLAP: the previous run was still going.",
});

/** What the dispatcher decided for one slot of one job; `reason` says why when it did not simply fire. */
builder.prismaObject("FireRecord", {
  description: "One scheduled slot and what became of it (the per-job schedule history).",
  fields: (t) => ({
    slot: t.expose("scheduledAt", { type: "DateTime", description: "The instant the trigger named." }),
    outcome: t.expose("outcome", { type: FireOutcomeEnum }),
    reason: t.exposeString("note", { nullable: true, description: "Why it was skipped or withdrawn, in words." }),
    decidedAt: t.expose("createdAt", { type: "DateTime", description: "When the dispatcher decided." }),
    logId: t.exposeInt("logId", { nullable: true }),
    run: t.field({
      type: JobLogRef,
      nullable: true,
      description: "The run made for the slot (null when skipped, or when its logs were purged).",
      resolve: (record, _args, ctx) => (record.logId === null ? null : ctx.runtime.prisma.jobLog.findUnique({ where: { id: record.logId } })),
    }),
  }),
});

builder.prismaObjectFields("Job", (t) => ({
  fireRecords: t.relatedConnection("fires", {
    cursor: "jobId_scheduledAt",
    query: { orderBy: { scheduledAt: "desc" } },
    totalCount: true,
    description: "The schedule history: every slot the dispatcher decided, newest first.",
  }),
}));

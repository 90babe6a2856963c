import { offsetArg } from "../arg-checks.ts";
import { builder } from "../builder.ts";
import { jobLogEvents, type JobLogEvent } from "../run-log-stream.ts";
import { JobStatusEnum } from "./enums.ts";

const JobLogEventKind = builder.enumType("JobLogEventKind", { values: ["STATUS", "OUTPUT"] as const });

const JobLogEventRef = builder.objectRef<JobLogEvent>("JobLogEvent").implement({
  description: "STATUS: the run's status changed (the first event of a logId subscription is its current status). OUTPUT: run-log text at a byte offset.",
  fields: (t) => ({
    kind: t.field({ type: JobLogEventKind, resolve: (e) => e.kind }),
    logId: t.exposeInt("logId"),
    jobId: t.exposeString("jobId"),
    status: t.field({ type: JobStatusEnum, nullable: true, resolve: (e) => e.status }),
    message: t.exposeString("message", { nullable: true }),
    messageCode: t.string({ nullable: true, description: "STATUS: the stable code of `message` (see JobLog.messageCode).", resolve: (e) => e.messageCode ?? null }),
    messageParams: t.field({ type: "JSON", nullable: true, description: "STATUS: the parameters of messageCode.", resolve: (e) => e.messageParams ?? null }),
    at: t.string({ nullable: true, description: "When the status changed (ISO instant).", resolve: (e) => e.at }),
    offset: t.exposeInt("offset", { nullable: true, description: "UTF-8 byte offset of `text` in the run's log." }),
    text: t.exposeString("text", { nullable: true }),
    nextOffset: t.exposeInt("nextOffset", { nullable: true, description: "Resume with fromOffset = this after a reconnect." }),
  }),
});

builder.subscriptionFields((t) => ({
  jobLogUpdated: t.field({
    type: JobLogEventRef,
    description:
      "Status changes and run-log text for one run (logId), one job (jobId) or all runs, in order and without gaps. " +
      "With logId, the stream starts with the run's current status and its log from fromOffset, and ends when the run finishes.",
    args: {
      jobId: t.arg.string({ required: false }),
      logId: t.arg.int({ required: false }),
      fromOffset: t.arg.int({
        required: false,
        description: "With logId: the byte offset to resume from (0 = whole log). Inside a multi-byte character, the stream starts at that character.",
      }),
    },
    subscribe: (_root, args, ctx) => jobLogEvents(ctx.runtime, { ...args, fromOffset: offsetArg("fromOffset", args.fromOffset) }),
    resolve: (event) => event,
  }),
}));

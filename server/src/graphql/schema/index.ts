import { lexicographicSortSchema } from "graphql";
import { builder } from "../builder.ts";
import "./root-types.ts";
import "./scalars.ts";
import "./enums.ts";
import "./errors.ts";
import "./job-log.ts";
import "./job.ts";
import "./job-inputs.ts";
import "./job-mutations.ts";
import "./run-mutations.ts";
import "./handler.ts";
import "./trigger-preview.ts";
import "./server-info.ts";
import "./subscriptions.ts";
import "./audit-events.ts";

export const schema = lexicographicSortSchema(builder.toSchema());

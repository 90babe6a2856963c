import type { Logger } from "pino";
import type { ZodType } from "zod";
import type { RunTrigger } from "../generated/prisma/enums.ts";

/** Shared across module copies (Symbol.for), see `BaseJob[BASE_JOB_BRAND]`. */
export const BASE_JOB_BRAND: unique symbol = Symbol.for("connecthub.BaseJob");

/** What a handler knows about the run it is executing. */
export interface RunMeta {
  jobId: string;
  logId: number;
  trigger: RunTrigger;
  /** The slot this run was fired for; null for manual runs. */
  scheduledAt: Date | null;
  attempt: number;
}

export interface RunContext {
  /** Lines written here land in this run's runLog and in the process log, tagged job_id/log_id. */
  logger: Logger;
  /** Aborted on cancel and on timeout; pass it to every await that can take long. */
  signal: AbortSignal;
  run: RunMeta;
}

export type JobParams = Record<string, unknown>;
export type JobSecrets = Record<string, unknown>;

/**
 * The plugin contract. An extension exports a subclass; `handlerPath` names it.
 * Static `paramsSchema` / `secretsSchema` (zod) are checked when a job is saved and shown
 * in the admin as form fields; `description` tells operators what the handler does, and
 * `descriptions` says it in other languages, by locale (`{ "zh-CN": "…" }`). A config field's
 * description in other languages goes in its schema's metadata:
 * `.describe("Who to greet").meta({ "x-descriptions": { "zh-CN": "问候谁" } })`.
 */
export abstract class BaseJob<P = JobParams, S = JobSecrets> {
  /**
   * Brand inherited by every subclass. The registry checks it besides `instanceof`, because an
   * extension may reach this module through another path (a symlinked workspace, a test runner's
   * module graph) and so hold a different copy of this class.
   */
  static readonly [BASE_JOB_BRAND] = true;
  static description?: string;
  static descriptions?: Record<string, string>;
  static paramsSchema?: ZodType;
  static secretsSchema?: ZodType;

  /** Returns a JSON-serialisable result kept on the run's log, or nothing. */
  abstract run(params: P, secrets: S, ctx: RunContext): Promise<unknown> | unknown;
}

export type BaseJobClass = (abstract new () => BaseJob<any, any>) & {
  description?: string;
  descriptions?: Record<string, string>;
  paramsSchema?: ZodType;
  secretsSchema?: ZodType;
};

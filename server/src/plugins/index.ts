export { BaseJob, BASE_JOB_BRAND } from "./base-job.ts";
export type { BaseJobClass, JobParams, JobSecrets, RunContext, RunMeta } from "./base-job.ts";
export { isBaseJobClass } from "./base-job-class.ts";
export { HandlerPathError, type FieldError } from "./handler-errors.ts";
export { parseHandlerPath, type ParsedHandlerPath } from "./handler-path.ts";
export { configureExtensionRoots, extensionRoots, parseExtensionRoots, DEFAULT_EXTENSIONS_DIR } from "./extension-roots.ts";
export { moduleFileFor, resolveHandler } from "./handler-registry.ts";
export { listHandlers, scanHandlers, type HandlerInfo, type HandlerModuleProblem } from "./handler-catalog.ts";
export { validateHandlerConfig, schemaErrors } from "./handler-config.ts";

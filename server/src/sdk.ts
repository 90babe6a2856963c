// What extensions import: the plugin contract and the integration clients.
export { BaseJob } from "./plugins/base-job.ts";
export type { RunContext, RunMeta, JobParams, JobSecrets } from "./plugins/base-job.ts";

// handler_path targets: extensions.sync_oa_to_didi.job:<ClassName> (or extensions/sync_oa_to_didi/job:<ClassName>).
export { SyncOAToDidiTokenJob } from "./token-job.ts";
export { SyncOAToDidiExportFormJob } from "./export-form-job.ts";
export { SyncOAToDidiLegalEntitySyncJob } from "./legal-entity-sync-job.ts";

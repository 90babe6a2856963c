// What extensions import: the plugin contract and the integration clients.
export { BaseJob } from "./plugins/base-job.ts";
export type { RunContext, RunMeta, JobParams, JobSecrets } from "./plugins/base-job.ts";

// Integration clients: extensions reach external systems only through these.
export { BaseClient, buildUrl } from "./integrations/base-client.ts";
export type { BaseClientOptions, HttpMethod, HttpResponse, QueryValue, RequestOptions } from "./integrations/base-client.ts";
export {
  HttpClientError,
  HttpError,
  HttpForbiddenError,
  HttpNotFoundError,
  HttpRateLimitedError,
  HttpResponseFormatError,
  HttpServerError,
  HttpTimeoutError,
  HttpUnauthorizedError,
  IntegrationError,
  NetworkError,
} from "./integrations/errors.ts";
export { SeeyonAuthError, SeeyonClient } from "./integrations/seeyon-client.ts";
export type { Cap4ExportRequest, Cap4ExportResult, SeeyonClientOptions, SeeyonCredentials } from "./integrations/seeyon-client.ts";
export { DidiApiError, DidiAuthError, DidiClient } from "./integrations/didi-client.ts";
export type {
  DidiClientOptions,
  DidiCredentials,
  DidiLegalEntity,
  DidiLegalEntityPage,
  DidiMember,
  DidiParams,
} from "./integrations/didi-client.ts";
export { didiSign } from "./integrations/didi-sign.ts";
export { Redactor, mask } from "./integrations/redact.ts";
export { Pacer } from "./integrations/pacer.ts";
export type { PacerClock } from "./integrations/pacer.ts";
export { sleep, throwIfAborted } from "./integrations/sleep.ts";

export { notifyRunFinished, type WebhookProblems, type WebhookSettings } from "./notify.ts";
export { deliverWebhook, displayUrl, WebhookDeliveryError, DEFAULT_DELIVERY, type DeliveryPolicy } from "./deliver.ts";
export { buildWebhookRequest, runFinishedPayload, robotText, type RunFinishedPayload, type WebhookCredentials } from "./webhook-payload.ts";

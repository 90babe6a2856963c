// The config shapes shared by the OA → Didi jobs. Names match the original system's
// public_cfg / secret_cfg keys, so existing job definitions move over unchanged.
import { z } from "zod";

/** Optional CAP4 export fields, passed through to Seeyon as they are. */
export const exportOptionsShape = {
  senderLoginName: z.string().optional().describe("OA login name the export runs as"),
  rightId: z.string().optional().describe("viewId.authId of the form view/permission to export with"),
  doTrigger: z.union([z.boolean(), z.string()]).optional().describe("Whether Seeyon runs form triggers"),
  param: z.union([z.string(), z.record(z.string(), z.unknown())]).optional().describe("Passed through to the export"),
  extra: z.record(z.string(), z.unknown()).optional().describe("Extra fields merged into the export request body"),
};

export const oaSecretsShape = {
  rest_user: z.string().min(1).describe("Seeyon REST account"),
  rest_password: z.string().min(1).describe("Seeyon REST account password"),
  loginName: z.string().optional().describe("Optional OA login name to act as"),
};

export const didiSecretsShape = {
  company_id: z.string().min(1).describe("Didi enterprise company id"),
  client_id: z.string().min(1).describe("Didi app key"),
  client_secret: z.string().min(1).describe("Didi app secret"),
  sign_key: z.string().min(1).describe("Didi signing key"),
};

export const httpUrl = (what: string) =>
  z
    .string()
    .regex(/^https?:\/\/[^\s/]+/i, `${what} must be an http(s) URL, e.g. http://oa.example.com`)
    .describe(`${what} (scheme and host, no API path)`);

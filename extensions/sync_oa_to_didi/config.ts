// The config shapes shared by the OA → Didi jobs. Names match the original system's
// public_cfg / secret_cfg keys, so existing job definitions move over unchanged.
import { z } from "zod";

/** A field's description in Chinese, shown by the admin in its Chinese UI. */
const zh = (text: string) => ({ "x-descriptions": { "zh-CN": text } });

/** Optional CAP4 export fields, passed through to Seeyon as they are. */
export const exportOptionsShape = {
  senderLoginName: z.string().optional().describe("OA login name the export runs as").meta(zh("执行导出的 OA 登录名")),
  rightId: z.string().optional().describe("viewId.authId of the form view/permission to export with").meta(zh("导出所用表单视图/权限的 viewId.authId")),
  doTrigger: z.union([z.boolean(), z.string()]).optional().describe("Whether Seeyon runs form triggers").meta(zh("致远是否执行表单触发")),
  param: z.union([z.string(), z.record(z.string(), z.unknown())]).optional().describe("Passed through to the export").meta(zh("原样传给导出接口")),
  extra: z.record(z.string(), z.unknown()).optional().describe("Extra fields merged into the export request body").meta(zh("合并进导出请求体的额外字段")),
};

export const oaSecretsShape = {
  rest_user: z.string().min(1).describe("Seeyon REST account").meta(zh("致远 REST 账号")),
  rest_password: z.string().min(1).describe("Seeyon REST account password").meta(zh("致远 REST 账号密码")),
  loginName: z.string().optional().describe("Optional OA login name to act as").meta(zh("可选：以该 OA 登录名身份操作")),
};

export const didiSecretsShape = {
  company_id: z.string().min(1).describe("Didi enterprise company id").meta(zh("滴滴企业版公司 ID")),
  client_id: z.string().min(1).describe("Didi app key").meta(zh("滴滴应用 key")),
  client_secret: z.string().min(1).describe("Didi app secret").meta(zh("滴滴应用 secret")),
  sign_key: z.string().min(1).describe("Didi signing key").meta(zh("滴滴签名密钥")),
};

export const httpUrl = (what: string, whatZh: string) =>
  z
    .string()
    .regex(/^https?:\/\/[^\s/]+/i, `${what} must be an http(s) URL, e.g. http://oa.example.com`)
    .describe(`${what} (scheme and host, no API path)`)
    .meta(zh(`${whatZh}（协议和主机，不含 API 路径）`));

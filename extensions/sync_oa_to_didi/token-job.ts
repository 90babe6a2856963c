import { z } from "zod";
import { BaseJob, mask, type RunContext } from "@connecthub/server/sdk";
import { httpUrl, oaSecretsShape } from "./config.ts";
import { seeyonForRun } from "./seeyon.ts";

const paramsSchema = z.object({ base_url: httpUrl("Seeyon OA base URL", "致远 OA 地址") });
const secretsSchema = z.object(oaSecretsShape);

export type TokenJobParams = z.infer<typeof paramsSchema>;
export type TokenJobSecrets = z.infer<typeof secretsSchema>;

/** Demonstrates a Seeyon OA login: gets a REST token and logs it masked. */
export class SyncOAToDidiTokenJob extends BaseJob<TokenJobParams, TokenJobSecrets> {
  static override description =
    "Gets a Seeyon OA REST token (POST /seeyon/rest/token) and logs it masked — a connectivity and credentials check.";
  static override descriptions = { "zh-CN": "获取致远 OA REST 令牌（POST /seeyon/rest/token）并以掩码记入日志——用于检查连通性和凭据。" };
  static override paramsSchema = paramsSchema;
  static override secretsSchema = secretsSchema;

  async run(params: TokenJobParams, secrets: TokenJobSecrets, ctx: RunContext): Promise<{ token_masked: string }> {
    const p = paramsSchema.parse(params);
    const s = secretsSchema.parse(secrets);
    const seeyon = seeyonForRun(p.base_url, s, ctx);
    const token = await seeyon.authenticate();
    ctx.logger.info({ token: mask(token) }, `Seeyon token for ${s.rest_user}: ${mask(token)}`);
    return { token_masked: mask(token) };
  }
}

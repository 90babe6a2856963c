import { z } from "zod";
import { BaseJob, mask, type RunContext } from "@connecthub/server/sdk";

const paramsSchema = z.object({
  name: z.string().min(1).describe("Who to greet").meta({ "x-descriptions": { "zh-CN": "问候的对象" } }),
});

const secretsSchema = z.object({
  api_key: z
    .string()
    .optional()
    .describe("Any secret; only its masked form is logged")
    .meta({ "x-descriptions": { "zh-CN": "任意密钥；日志中只记录其掩码形式" } }),
});

export type ExampleParams = z.infer<typeof paramsSchema>;
export type ExampleSecrets = z.infer<typeof secretsSchema>;

/** The smallest useful handler: shows params, secrets (masked) and the run logger. */
export class ExampleJob extends BaseJob<ExampleParams, ExampleSecrets> {
  static override description = "Logs a greeting to `name` and shows how a secret is logged masked.";
  static override descriptions = { "zh-CN": "向 `name` 记录一句问候，并演示密钥如何以掩码形式记入日志。" };
  static override paramsSchema = paramsSchema;
  static override secretsSchema = secretsSchema;

  run(params: ExampleParams, secrets: ExampleSecrets, ctx: RunContext): { greeting: string } {
    const { name } = paramsSchema.parse(params);
    const { api_key } = secretsSchema.parse(secrets ?? {});
    const greeting = `Hello, ${name}!`;
    ctx.logger.info({ name }, greeting);
    ctx.logger.info({ api_key: api_key ? mask(api_key) : null }, api_key ? `api_key is set (${mask(api_key)})` : "no api_key given");
    return { greeting };
  }
}

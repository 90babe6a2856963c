import { z } from "zod";
import { BaseJob, type RunContext } from "@connecthub/server/sdk";
import { exportOptionsShape, httpUrl, oaSecretsShape } from "./config.ts";
import { seeyonForRun } from "./seeyon.ts";
import { logInChunks } from "./log-chunks.ts";

const paramsSchema = z.object({
  base_url: httpUrl("Seeyon OA base URL", "致远 OA 地址"),
  templateCode: z.string().min(1).describe("CAP4 form template code").meta({ "x-descriptions": { "zh-CN": "CAP4 表单模板编号" } }),
  ...exportOptionsShape,
});
const secretsSchema = z.object(oaSecretsShape);

export type ExportFormParams = z.infer<typeof paramsSchema>;
export type ExportFormSecrets = z.infer<typeof secretsSchema>;

export interface ExportFormResult {
  raw: string;
  meta: { content_length: number; content_type: string | null };
}

/** Exports a CAP4 form (无流程表单) and keeps the raw answer, logged in chunks. */
export class SyncOAToDidiExportFormJob extends BaseJob<ExportFormParams, ExportFormSecrets> {
  static override description =
    "Exports a Seeyon CAP4 form (POST /seeyon/rest/cap4/form/soap/export); returns the raw response and writes it to the run log in chunks.";
  static override descriptions = { "zh-CN": "导出致远 CAP4 表单（POST /seeyon/rest/cap4/form/soap/export）；返回原始响应，并分段写入运行日志。" };
  static override paramsSchema = paramsSchema;
  static override secretsSchema = secretsSchema;

  async run(params: ExportFormParams, secrets: ExportFormSecrets, ctx: RunContext): Promise<ExportFormResult> {
    const p = paramsSchema.parse(params);
    const s = secretsSchema.parse(secrets);
    const seeyon = seeyonForRun(p.base_url, s, ctx);
    const exported = await seeyon.exportCap4Form({
      templateCode: p.templateCode,
      senderLoginName: p.senderLoginName,
      rightId: p.rightId,
      doTrigger: p.doTrigger,
      param: p.param,
      extra: p.extra,
    });
    const meta = { content_length: exported.contentLength, content_type: exported.contentType };
    ctx.logger.info(meta, `Form ${p.templateCode} exported: ${meta.content_length} bytes (${meta.content_type ?? "no content type"})`);
    logInChunks(ctx.logger, `export ${p.templateCode}`, exported.raw);
    return { raw: exported.raw, meta };
  }
}

import { z } from "zod";
import {
  BaseJob,
  DidiApiError,
  DidiClient,
  Pacer,
  throwIfAborted,
  type PacerClock,
  type RunContext,
} from "@connecthub/server/sdk";
import { didiSecretsShape, exportOptionsShape, httpUrl, oaSecretsShape } from "./config.ts";
import { seeyonForRun } from "./seeyon.ts";
import { fieldByDisplay, parseCap4Export } from "./form-export.ts";
import { resolveLegalEntityId } from "./legal-entity-cache.ts";

/** Didi asks for at least 150 ms between consecutive member writes of one company. */
export const MEMBER_EDIT_INTERVAL_MS = 150;
export const EMPLOYEE_NUMBER_DISPLAY = "工号";
export const COMPANY_DISPLAY = "所属公司";
const MAX_REPORTED_ERRORS = 50;

const paramsSchema = z.object({
  oa_base_url: httpUrl("Seeyon OA base URL", "致远 OA 地址"),
  oa_templateCode: z
    .string()
    .min(1)
    .describe("CAP4 form with fields displayed as 工号 and 所属公司")
    .meta({ "x-descriptions": { "zh-CN": "含“工号”和“所属公司”字段的 CAP4 表单" } }),
  didi_base_url: httpUrl("Didi enterprise API base URL", "滴滴企业版 API 地址"),
  ...exportOptionsShape,
});
const secretsSchema = z.object({ ...oaSecretsShape, ...didiSecretsShape });

export type LegalEntitySyncParams = z.infer<typeof paramsSchema>;
export type LegalEntitySyncSecrets = z.infer<typeof secretsSchema>;

export interface RowError {
  /** 1-based position in the export. */
  row: number;
  employee_number: string;
  company: string;
  error: string;
}

export interface LegalEntitySyncResult {
  rows: number;
  success: number;
  skipped: number;
  failed: number;
  /** The first 50 row errors. */
  errors: RowError[];
}

/**
 * OA → Didi: reads 工号 / 所属公司 from a CAP4 form export and sets each Didi member's
 * legal_entity_id to the legal entity of that name. Rows without either value, and members
 * already on the right entity, are skipped. A row Didi refuses (unknown member, unknown
 * entity…) is recorded and the run goes on; a transport failure (timeout, 5xx, bad
 * credentials) fails the run, since every following row would fail the same way.
 */
export class SyncOAToDidiLegalEntitySyncJob extends BaseJob<LegalEntitySyncParams, LegalEntitySyncSecrets> {
  static override description =
    "Syncs each employee's company (所属公司) from a Seeyon CAP4 form to the Didi member's legal entity, matched by 工号.";
  static override descriptions = { "zh-CN": "按工号匹配，将致远 CAP4 表单中每位员工的所属公司同步为滴滴成员的法人主体。" };
  static override paramsSchema = paramsSchema;
  static override secretsSchema = secretsSchema;

  readonly #clock: PacerClock | undefined;

  /** @param options.clock what the member-write pacing waits on (the real clock when omitted; tests pass a manual one) */
  constructor(options: { clock?: PacerClock } = {}) {
    super();
    this.#clock = options.clock;
  }

  async run(params: LegalEntitySyncParams, secrets: LegalEntitySyncSecrets, ctx: RunContext): Promise<LegalEntitySyncResult> {
    const p = paramsSchema.parse(params);
    const s = secretsSchema.parse(secrets);
    const log = ctx.logger;
    const seeyon = seeyonForRun(p.oa_base_url, s, ctx);
    const didi = new DidiClient({
      baseUrl: p.didi_base_url,
      credentials: { companyId: s.company_id, clientId: s.client_id, clientSecret: s.client_secret, signKey: s.sign_key },
      signal: ctx.signal,
      logger: log,
    });

    const exported = await seeyon.exportCap4Form({
      templateCode: p.oa_templateCode,
      senderLoginName: p.senderLoginName,
      rightId: p.rightId,
      doTrigger: p.doTrigger,
      param: p.param,
      extra: p.extra,
    });
    const form = parseCap4Export(exported.raw, p.oa_templateCode);
    const employeeField = fieldByDisplay(form, EMPLOYEE_NUMBER_DISPLAY, p.oa_templateCode);
    const companyField = fieldByDisplay(form, COMPANY_DISPLAY, p.oa_templateCode);
    log.info(
      { rows: form.rows.length, employee_field: employeeField.name, company_field: companyField.name },
      `Form ${p.oa_templateCode}: ${form.rows.length} rows; 工号=${employeeField.name}, 所属公司=${companyField.name}`,
    );

    const result: LegalEntitySyncResult = { rows: form.rows.length, success: 0, skipped: 0, failed: 0, errors: [] };
    const fail = (row: number, employee_number: string, company: string, error: string) => {
      result.failed++;
      if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push({ row, employee_number, company, error });
      log.warn({ row, employee_number, company }, `row ${row} (${employee_number}): ${error}`);
    };
    const cacheScope = `${p.didi_base_url}|${s.company_id}`;
    const pacer = new Pacer(MEMBER_EDIT_INTERVAL_MS, this.#clock);

    for (const [index, cells] of form.rows.entries()) {
      throwIfAborted(ctx.signal);
      const row = index + 1;
      const employeeNumber = cells[employeeField.name] ?? "";
      const company = cells[companyField.name] ?? "";
      if (!employeeNumber || !company) {
        result.skipped++;
        log.info({ row }, `row ${row}: skipped, ${!employeeNumber ? "工号" : "所属公司"} is empty`);
        continue;
      }
      try {
        const entityId = await resolveLegalEntityId(didi, cacheScope, company, ctx.signal);
        if (!entityId) {
          fail(row, employeeNumber, company, `no Didi legal entity is named "${company}"`);
          continue;
        }
        const member = await didi.getMemberDetail({ employee_number: employeeNumber }, ctx.signal);
        if (member.legal_entity_id != null && String(member.legal_entity_id) === entityId) {
          result.skipped++;
          log.info({ row, employee_number: employeeNumber }, `row ${row} (${employeeNumber}): already on ${company}`);
          continue;
        }
        await pacer.wait(ctx.signal);
        await didi.editMember({ member_id: member.member_id, data: { legal_entity_id: entityId } }, ctx.signal);
        result.success++;
        log.info(
          { row, employee_number: employeeNumber, legal_entity_id: entityId },
          `row ${row} (${employeeNumber}): legal entity set to ${company}`,
        );
      } catch (error) {
        if (!(error instanceof DidiApiError)) throw error;
        fail(row, employeeNumber, company, error.message);
      }
    }

    log.info(
      { rows: result.rows, success: result.success, skipped: result.skipped, failed: result.failed },
      `Done: ${result.rows} rows, ${result.success} updated, ${result.skipped} skipped, ${result.failed} failed`,
    );
    return result;
  }
}

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpServerError } from "@connecthub/server/sdk";
import { DIDI_TEST_CREDENTIALS, startDidiServer, type DidiServer, type DidiServerOptions } from "../../server/test/stand-ins/didi-server.ts";
import { testRun } from "../../server/test/stand-ins/run-context.ts";
import { COMPANY_BJ, COMPANY_SH, DEFAULT_SEEYON_FORM, type SeeyonForm, type SeeyonFieldValue } from "../../server/test/stand-ins/seeyon-form.ts";
import { startSeeyonServer, type SeeyonServer } from "../../server/test/stand-ins/seeyon-server.ts";
import { FormFieldMissingError } from "./form-export.ts";
import { ManualClock } from "../../server/test/stand-ins/manual-clock.ts";
import { SyncOAToDidiLegalEntitySyncJob } from "./job.ts";
import { MEMBER_EDIT_INTERVAL_MS } from "./legal-entity-sync-job.ts";
import { clearLegalEntityCache } from "./legal-entity-cache.ts";

const SH_ID = "9668294457792204005";
const BJ_ID = "9668294457792204006";

const secrets = {
  rest_user: "rest-user",
  rest_password: "rest-pass-1234",
  company_id: DIDI_TEST_CREDENTIALS.companyId,
  client_id: DIDI_TEST_CREDENTIALS.clientId,
  client_secret: DIDI_TEST_CREDENTIALS.clientSecret,
  sign_key: DIDI_TEST_CREDENTIALS.signKey,
};

let oa: SeeyonServer | undefined;
let didi: DidiServer | undefined;

beforeEach(() => clearLegalEntityCache());
afterEach(async () => {
  await oa?.close();
  await didi?.close();
  oa = didi = undefined;
});

function form(templateCode: string, rows: Record<string, SeeyonFieldValue>[]): SeeyonForm {
  return { ...DEFAULT_SEEYON_FORM, templateCode, rows };
}

async function start(forms: SeeyonForm[] = [DEFAULT_SEEYON_FORM], didiOptions: DidiServerOptions = {}) {
  oa = await startSeeyonServer({ forms });
  didi = await startDidiServer(didiOptions);
  return { oa, didi };
}

function params(templateCode = DEFAULT_SEEYON_FORM.templateCode) {
  return { oa_base_url: oa!.url, oa_templateCode: templateCode, didi_base_url: didi!.url };
}

describe("SyncOAToDidiLegalEntitySyncJob", () => {
  it("sets each member's legal entity from the form's 工号 and 所属公司 and returns the totals", async () => {
    const { didi } = await start();
    const { ctx } = testRun("oa.sync_legal_entity");
    const result = await new SyncOAToDidiLegalEntitySyncJob().run(params(), secrets, ctx);
    expect(result).toEqual({ rows: 3, success: 3, skipped: 0, failed: 0, errors: [] });
    expect(Object.fromEntries(didi.members.map((m) => [m.employee_number, m.legal_entity_id]))).toEqual({
      E1001: SH_ID,
      E1002: BJ_ID,
      E1003: SH_ID,
    });
    expect(didi.counters.signatureFailures).toBe(0);
  });

  it("looks each company up once thanks to the in-process cache", async () => {
    const { didi } = await start();
    const { ctx } = testRun();
    await new SyncOAToDidiLegalEntitySyncJob().run(params(), secrets, ctx);
    // Three rows, two distinct companies.
    expect(didi.counters.legalEntityQueries).toBe(2);
  });

  it("pauses 150 ms on its clock before each Member/edit after the first", async () => {
    const { didi } = await start();
    const { ctx } = testRun();
    const clock = new ManualClock();
    // How many edits Didi had received when each pause began: the pause sits between two edits.
    const editsAtPause: number[] = [];
    clock.onSleep = () => editsAtPause.push(didi.edits.length);
    await new SyncOAToDidiLegalEntitySyncJob({ clock }).run(params(), secrets, ctx);
    expect(didi.edits).toHaveLength(3);
    expect(clock.sleeps).toEqual([MEMBER_EDIT_INTERVAL_MS, MEMBER_EDIT_INTERVAL_MS]);
    expect(editsAtPause).toEqual([1, 2]);
  });

  it("skips rows without 工号 or 所属公司 and members already on the right entity, and reports refused rows", async () => {
    const rows = [
      { field0001: "E1001", field0004: COMPANY_SH },
      { field0001: "", field0004: COMPANY_SH },
      { field0001: "E1002", field0004: { value: "", showValue: "" } },
      { field0001: "E1003", field0004: "不存在的公司" },
      { field0001: "E9999", field0004: COMPANY_BJ },
    ];
    const { didi } = await start([form("MIXED", rows)], {
      members: [
        { member_id: "1", employee_number: "E1001", realname: "张伟", phone: "1", legal_entity_id: SH_ID },
        { member_id: "3", employee_number: "E1003", realname: "王强", phone: "3", legal_entity_id: null },
      ],
    });
    const { ctx, log } = testRun();
    const result = await new SyncOAToDidiLegalEntitySyncJob().run(params("MIXED"), secrets, ctx);
    expect(result).toMatchObject({ rows: 5, success: 0, skipped: 3, failed: 2 });
    expect(result.errors).toEqual([
      { row: 4, employee_number: "E1003", company: "不存在的公司", error: expect.stringContaining("no Didi legal entity") },
      { row: 5, employee_number: "E9999", company: COMPANY_BJ, error: expect.stringContaining("员工不存在") },
    ]);
    expect(didi.edits).toHaveLength(0);
    expect(log.records().filter((r) => r.level === 40).length).toBeGreaterThanOrEqual(2);
  });

  it("reports only the first 50 errors but counts them all", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ field0001: `E${i}`, field0004: "未知公司" }));
    const { didi } = await start([form("MANY", rows)]);
    const { ctx } = testRun();
    const result = await new SyncOAToDidiLegalEntitySyncJob().run(params("MANY"), secrets, ctx);
    expect(result.failed).toBe(60);
    expect(result.errors).toHaveLength(50);
    expect(result.errors[49]?.row).toBe(50);
    expect(didi.counters.legalEntityQueries).toBe(1);
  });

  it("stops promptly with the abort reason when the run is cancelled", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ field0001: `E${i}`, field0004: COMPANY_SH }));
    const members = rows.map((r, i) => ({ member_id: String(i), employee_number: r.field0001, realname: "x", phone: "x", legal_entity_id: null }));
    const { didi } = await start([form("LONG", rows)], { members });
    const { ctx, controller } = testRun();
    const reason = new Error("cancelled by operator");
    const clock = new ManualClock();
    // Cancelled during the pause after the second edit: no further edit may be sent.
    clock.onSleep = () => {
      if (didi.edits.length === 2) controller.abort(reason);
    };
    await expect(new SyncOAToDidiLegalEntitySyncJob({ clock }).run(params("LONG"), secrets, ctx)).rejects.toBe(reason);
    expect(didi.edits).toHaveLength(2);
  });

  it("fails the run on a transport error instead of recording it row by row", async () => {
    const { didi } = await start();
    didi.faults.failNext(1, { status: 500, path: "/river/Member/edit" });
    const { ctx } = testRun();
    await expect(new SyncOAToDidiLegalEntitySyncJob().run(params(), secrets, ctx)).rejects.toBeInstanceOf(HttpServerError);
  });

  it("fails with FormFieldMissingError when the form has no 所属公司 field", async () => {
    const noCompany: SeeyonForm = { ...DEFAULT_SEEYON_FORM, templateCode: "NOCO", fields: DEFAULT_SEEYON_FORM.fields.filter((f) => f.display !== "所属公司") };
    await start([noCompany]);
    const { ctx } = testRun();
    await expect(new SyncOAToDidiLegalEntitySyncJob().run(params("NOCO"), secrets, ctx)).rejects.toBeInstanceOf(FormFieldMissingError);
  });

  it("keeps every secret and token out of the run log, even across re-authentication", async () => {
    const { oa, didi } = await start([DEFAULT_SEEYON_FORM], { tokenMaxUses: 2 });
    const { ctx, log } = testRun();
    const result = await new SyncOAToDidiLegalEntitySyncJob().run(params(), secrets, ctx);
    expect(result.success).toBe(3);
    expect(didi.counters.authorizeCalls).toBeGreaterThan(1);
    const text = log.text();
    for (const secret of [secrets.rest_password, secrets.client_secret, secrets.sign_key, ...oa.issuedTokens, ...didi.issuedTokens]) {
      expect(text).not.toContain(secret);
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpUnauthorizedError } from "@connecthub/server/sdk";
import { testRun } from "../../server/test/stand-ins/run-context.ts";
import { DEFAULT_SEEYON_FORM, type SeeyonForm } from "../../server/test/stand-ins/seeyon-form.ts";
import { startSeeyonServer, type SeeyonServer } from "../../server/test/stand-ins/seeyon-server.ts";
import { SyncOAToDidiExportFormJob, SyncOAToDidiTokenJob } from "./job.ts";

const secrets = { rest_user: "rest-user", rest_password: "rest-pass-1234" };
let oa: SeeyonServer;

const bigForm: SeeyonForm = {
  ...DEFAULT_SEEYON_FORM,
  templateCode: "BIG",
  rows: Array.from({ length: 200 }, (_, i) => ({ field0001: `E${2000 + i}`, field0002: "员工".repeat(20), field0004: "上海联科信息技术有限公司" })),
};

beforeEach(async () => {
  oa = await startSeeyonServer({ forms: [DEFAULT_SEEYON_FORM, bigForm] });
});
afterEach(() => oa.close());

describe("SyncOAToDidiTokenJob", () => {
  it("gets a Seeyon token and logs and returns it only masked", async () => {
    const { ctx, log } = testRun("oa.token");
    const result = await new SyncOAToDidiTokenJob().run({ base_url: oa.url }, secrets, ctx);
    const token = oa.issuedTokens[0]!;
    expect(result).toEqual({ token_masked: `${token.slice(0, 2)}****${token.slice(-2)}` });
    expect(log.text()).toContain(result.token_masked);
    expect(log.text()).not.toContain(token);
    expect(log.text()).not.toContain(secrets.rest_password);
  });

  it("fails with HttpUnauthorizedError when the REST password is wrong", async () => {
    const { ctx } = testRun();
    await expect(new SyncOAToDidiTokenJob().run({ base_url: oa.url }, { ...secrets, rest_password: "nope-nope" }, ctx)).rejects.toBeInstanceOf(
      HttpUnauthorizedError,
    );
  });

  it("declares its config with zod schemas and a description", () => {
    expect(SyncOAToDidiTokenJob.description).toBeTruthy();
    expect(SyncOAToDidiTokenJob.paramsSchema.safeParse({ base_url: "not a url" }).success).toBe(false);
    expect(SyncOAToDidiTokenJob.secretsSchema.safeParse({ rest_user: "u" }).success).toBe(false);
  });
});

describe("SyncOAToDidiExportFormJob", () => {
  it("returns the raw export with its content length and type, passing the optional fields through", async () => {
    const { ctx } = testRun("oa.export");
    const result = await new SyncOAToDidiExportFormJob().run(
      { base_url: oa.url, templateCode: DEFAULT_SEEYON_FORM.templateCode, senderLoginName: "zhangwei", extra: { pageNo: 1 } },
      secrets,
      ctx,
    );
    expect(JSON.parse(result.raw).data.data).toHaveLength(3);
    expect(result.meta.content_length).toBe(Buffer.byteLength(result.raw));
    expect(result.meta.content_type).toContain("application/json");
    expect(oa.requests.at(-1)?.json).toMatchObject({ templateCode: DEFAULT_SEEYON_FORM.templateCode, senderLoginName: "zhangwei", pageNo: 1 });
  });

  it("writes a large export to the run log in bounded chunks that add up to the whole text", async () => {
    const { ctx, log } = testRun("oa.export");
    const result = await new SyncOAToDidiExportFormJob().run({ base_url: oa.url, templateCode: "BIG" }, secrets, ctx);
    const chunks = log.records().filter((r) => typeof r.chunk_index === "number");
    expect(result.raw.length).toBeGreaterThan(4_000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(String(c.msg).length).toBeLessThan(2_100);
    const joined = chunks.map((c) => String(c.msg).replace(/^export BIG \[\d+\/\d+\] /, "")).join("");
    expect(joined).toBe(result.raw);
  });
});

// The shipped extensions, run end to end through the engine (queue, worker, decrypted secrets,
// captured log) against the loopback stand-ins for Seeyon OA and Didi.
import type { Prisma } from "../../src/generated/prisma/client.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRun } from "../../src/execution/index.ts";
import { DIDI_TEST_CREDENTIALS, startDidiServer, type DidiServer } from "../stand-ins/didi-server.ts";
import { DEFAULT_SEEYON_FORM } from "../stand-ins/seeyon-form.ts";
import { startSeeyonServer, type SeeyonServer } from "../stand-ins/seeyon-server.ts";
import { openEngine, type Engine } from "./harness.ts";

const OA_SECRETS = { rest_user: "rest-user", rest_password: "rest-pass-1234" };
const DIDI_SECRETS = {
  company_id: DIDI_TEST_CREDENTIALS.companyId,
  client_id: DIDI_TEST_CREDENTIALS.clientId,
  client_secret: DIDI_TEST_CREDENTIALS.clientSecret,
  sign_key: DIDI_TEST_CREDENTIALS.signKey,
};

let engine: Engine;
let oa: SeeyonServer;
let didi: DidiServer;
beforeAll(async () => {
  engine = await openEngine();
  oa = await startSeeyonServer();
  didi = await startDidiServer();
});
afterAll(async () => {
  await engine?.close();
  await oa?.close();
  await didi?.close();
});

async function run(handlerPath: string, publicCfg: Prisma.InputJsonObject, secrets: Record<string, unknown>) {
  const jobId = await engine.createJob({ handlerPath, publicCfg, secretCfg: engine.encrypt(secrets) });
  const { id } = await enqueueRun(engine.runtime, { kind: "job", jobId, trigger: "MANUAL" });
  return engine.final(id);
}

function expectNoSecrets(text: string, secrets: Record<string, unknown>) {
  for (const value of Object.values(secrets)) expect(text).not.toContain(String(value));
}

describe("shipped extensions, end to end", () => {
  it("ExampleJob greets and logs its secret only masked", async () => {
    const log = await run("extensions.example.job:ExampleJob", { name: "Mars" }, { api_key: "abSECRETVALUEyz" });
    expect(log).toMatchObject({ status: "SUCCESS", result: { greeting: "Hello, Mars!" } });
    expect(log.runLog).toContain("INFO  Hello, Mars!");
    expect(log.runLog).toContain("ab****yz");
    expect(JSON.stringify(log)).not.toContain("abSECRETVALUEyz");
  });

  it("SyncOAToDidiTokenJob gets a Seeyon token and keeps it masked", async () => {
    const log = await run("extensions.sync_oa_to_didi.job:SyncOAToDidiTokenJob", { base_url: oa.url }, OA_SECRETS);
    expect(log.status).toBe("SUCCESS");
    const token = oa.issuedTokens.at(-1)!;
    expect(log.result).toEqual({ token_masked: `${token.slice(0, 2)}****${token.slice(-2)}` });
    expect(log.runLog).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/seeyon\/rest\/token → 200/);
    expect(JSON.stringify(log)).not.toContain(token);
    expectNoSecrets(JSON.stringify(log), OA_SECRETS);
  });

  it("SyncOAToDidiExportFormJob returns the raw export and writes it to the run log", async () => {
    const log = await run(
      "extensions/sync_oa_to_didi/job:SyncOAToDidiExportFormJob",
      { base_url: oa.url, templateCode: DEFAULT_SEEYON_FORM.templateCode },
      OA_SECRETS,
    );
    expect(log.status).toBe("SUCCESS");
    const result = log.result as { raw: string; meta: { content_length: number } };
    expect(result.meta.content_length).toBe(Buffer.byteLength(result.raw));
    expect(log.runLog).toContain(`Form ${DEFAULT_SEEYON_FORM.templateCode} exported`);
    expectNoSecrets(JSON.stringify(log), OA_SECRETS);
  });

  it("SyncOAToDidiLegalEntitySyncJob sets each member's legal entity in Didi", async () => {
    const log = await run(
      "extensions.sync_oa_to_didi.job:SyncOAToDidiLegalEntitySyncJob",
      { oa_base_url: oa.url, oa_templateCode: DEFAULT_SEEYON_FORM.templateCode, didi_base_url: didi.url },
      { ...OA_SECRETS, ...DIDI_SECRETS },
    );
    expect(log.status).toBe("SUCCESS");
    expect(log.result).toMatchObject({ rows: 3, success: 3, skipped: 0, failed: 0 });
    expect(didi.edits).toHaveLength(3);
    expect(didi.counters.signatureFailures).toBe(0);
    expectNoSecrets(JSON.stringify(log), { ...OA_SECRETS, ...DIDI_SECRETS });
    for (const t of [...oa.issuedTokens, ...didi.issuedTokens]) expect(log.runLog).not.toContain(t);
  });

  it("fails a sync job with the wrong OA password, with the HTTP error as its message", async () => {
    const log = await run("extensions.sync_oa_to_didi.job:SyncOAToDidiTokenJob", { base_url: oa.url }, { ...OA_SECRETS, rest_password: "wrong-password" });
    expect(log.status).toBe("FAILURE");
    expect(log.message).toMatch(/HttpUnauthorizedError/);
    expect(JSON.stringify(log)).not.toContain("wrong-password");
  });
});

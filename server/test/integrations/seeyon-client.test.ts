import { afterEach, describe, expect, it } from "vitest";
import { HttpServerError, HttpTimeoutError, HttpUnauthorizedError } from "../../src/integrations/errors.ts";
import { SeeyonAuthError, SeeyonClient } from "../../src/integrations/seeyon-client.ts";
import { memoryLogger } from "../stand-ins/memory-logger.ts";
import { DEFAULT_SEEYON_FORM } from "../stand-ins/seeyon-form.ts";
import { startSeeyonServer, type SeeyonServer, type SeeyonServerOptions } from "../stand-ins/seeyon-server.ts";

const PASSWORD = "rest-pass-1234";
let server: SeeyonServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: SeeyonServerOptions = {}, clientOptions: { timeoutMs?: number; password?: string } = {}) {
  server = await startSeeyonServer(options);
  const log = memoryLogger();
  const client = new SeeyonClient({
    baseUrl: server.url,
    credentials: { restUser: "rest-user", restPassword: clientOptions.password ?? PASSWORD, loginName: "zhangwei" },
    logger: log.logger,
    retryDelayMs: 10,
    timeoutMs: clientOptions.timeoutMs,
  });
  return { server, client, log };
}

const exportRequest = { templateCode: DEFAULT_SEEYON_FORM.templateCode };

describe("SeeyonClient.authenticate", () => {
  it("posts userName/password/loginName and returns the id of the answer as token", async () => {
    const { server, client } = await setup();
    const token = await client.authenticate();
    expect(token).toBe(server.issuedTokens[0]);
    expect(server.requests[0]?.json).toEqual({ userName: "rest-user", password: PASSWORD, loginName: "zhangwei" });
  });

  it("fails with HttpUnauthorizedError when the REST account is wrong", async () => {
    const { client } = await setup({}, { password: "wrong-password" });
    await expect(client.authenticate()).rejects.toBeInstanceOf(HttpUnauthorizedError);
  });
});

describe("SeeyonClient business calls", () => {
  it("sends the token header and reuses one token across calls", async () => {
    const { server, client } = await setup();
    await client.exportCap4Form(exportRequest);
    await client.exportCap4Form(exportRequest);
    expect(server.counters.tokenRequests).toBe(1);
    const exports = server.requests.filter((r) => r.path.endsWith("/export"));
    expect(exports.map((r) => r.headers.token)).toEqual([server.issuedTokens[0], server.issuedTokens[0]]);
  });

  it("re-authenticates once and retries when the token is answered with 401", async () => {
    const { server, client } = await setup({ invalidTokenAnswer: "401" });
    await client.exportCap4Form(exportRequest);
    server.invalidateTokens();
    const result = await client.exportCap4Form(exportRequest);
    expect(JSON.parse(result.raw).code).toBe(0);
    expect(server.counters.tokenRequests).toBe(2);
    expect(server.counters.rejectedTokens).toBe(1);
    expect(server.requests.at(-1)?.headers.token).toBe(server.issuedTokens[1]);
  });

  it("re-authenticates once and retries when a 200 answer says Invalid token", async () => {
    const { server, client } = await setup({ invalidTokenAnswer: "invalid-token-body", tokenMaxUses: 1 });
    await client.exportCap4Form(exportRequest);
    const result = await client.exportCap4Form(exportRequest);
    expect(result.raw).not.toContain("Invalid token");
    expect(server.counters.tokenRequests).toBe(2);
    expect(server.counters.rejectedTokens).toBe(1);
  });

  it("retries only once: a token refused again right after re-authentication is an error", async () => {
    const { server, client } = await setup({ invalidTokenAnswer: "invalid-token-body", tokenMaxUses: 0 });
    await expect(client.exportCap4Form(exportRequest)).rejects.toBeInstanceOf(SeeyonAuthError);
    expect(server.counters.tokenRequests).toBe(2);
    expect(server.counters.exportRequests).toBe(0);
  });

  it("does not retry the export POST after a 5xx", async () => {
    const { server, client } = await setup();
    await client.authenticate();
    server.faults.failNext(1, { status: 500, path: "/seeyon/rest/cap4/form/soap/export" });
    await expect(client.exportCap4Form(exportRequest)).rejects.toBeInstanceOf(HttpServerError);
    expect(server.requests.filter((r) => r.path.endsWith("/export"))).toHaveLength(1);
  });

  it("throws HttpTimeoutError when the export is slower than the timeout", async () => {
    const { server, client } = await setup({}, { timeoutMs: 150 });
    await client.authenticate();
    server.faults.setDelay(2_000, "/seeyon/rest/cap4/form/soap/export");
    await expect(client.exportCap4Form(exportRequest)).rejects.toBeInstanceOf(HttpTimeoutError);
  });
});

describe("SeeyonClient.exportCap4Form", () => {
  it("posts the export fields, merges extra, and returns the raw text with its type and length", async () => {
    const { server, client } = await setup();
    const result = await client.exportCap4Form({
      templateCode: DEFAULT_SEEYON_FORM.templateCode,
      senderLoginName: "zhangwei",
      rightId: "7382243805636937862.739077934791477512",
      doTrigger: false,
      param: "0",
      extra: { pageSize: 500 },
    });
    expect(server.requests.at(-1)?.json).toEqual({
      pageSize: 500,
      templateCode: DEFAULT_SEEYON_FORM.templateCode,
      senderLoginName: "zhangwei",
      rightId: "7382243805636937862.739077934791477512",
      doTrigger: false,
      param: "0",
    });
    const payload = JSON.parse(result.raw);
    expect(payload.data.definition.fields.map((f: { display: string }) => f.display)).toContain("所属公司");
    expect(result.contentType).toContain("application/json");
    expect(result.contentLength).toBe(Buffer.byteLength(result.raw));
  });
});

describe("SeeyonClient redaction", () => {
  it("never writes the password or a token in clear, and masks the token when logging it", async () => {
    const { server, client, log } = await setup({ invalidTokenAnswer: "401" });
    await client.exportCap4Form(exportRequest);
    server.invalidateTokens();
    await client.exportCap4Form(exportRequest);
    const text = log.text();
    expect(text).not.toContain(PASSWORD);
    for (const token of server.issuedTokens) {
      expect(text).not.toContain(token);
      expect(text).toContain(`${token.slice(0, 2)}****${token.slice(-2)}`);
    }
  });
});

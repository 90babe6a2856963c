import { afterEach, describe, expect, it } from "vitest";
import { DidiApiError, DidiAuthError, DidiClient, type DidiCredentials } from "../../src/integrations/didi-client.ts";
import { HttpServerError, HttpTimeoutError, HttpUnauthorizedError } from "../../src/integrations/errors.ts";
import { DIDI_TEST_CREDENTIALS, expectedDidiSign, startDidiServer, type DidiServer, type DidiServerOptions } from "../stand-ins/didi-server.ts";
import { memoryLogger } from "../stand-ins/memory-logger.ts";

let server: DidiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface SetupOptions {
  credentials?: Partial<DidiCredentials>;
  now?: () => number;
  timeoutMs?: number;
}

async function setup(options: DidiServerOptions = {}, clientOptions: SetupOptions = {}) {
  server = await startDidiServer(options);
  const log = memoryLogger();
  const client = new DidiClient({
    baseUrl: server.url,
    credentials: { ...DIDI_TEST_CREDENTIALS, ...clientOptions.credentials },
    logger: log.logger,
    retryDelayMs: 10,
    now: clientOptions.now,
    timeoutMs: clientOptions.timeoutMs,
  });
  return { server, client, log };
}

describe("DidiClient authorization", () => {
  it("authorizes with client credentials and a sign the server verifies", async () => {
    const { server, client } = await setup();
    const token = await client.getAccessToken();
    expect(token).toBe(server.issuedTokens[0]);
    const body = server.requests[0]?.json as Record<string, unknown>;
    expect(body).toMatchObject({ client_id: DIDI_TEST_CREDENTIALS.clientId, grant_type: "client_credentials" });
    expect(typeof body.timestamp).toBe("number");
    expect(body.sign).toBe(expectedDidiSign(body, DIDI_TEST_CREDENTIALS.signKey));
    expect(body).not.toHaveProperty("sign_key");
    expect(server.counters.signatureFailures).toBe(0);
  });

  it("fails with DidiAuthError naming the settings to check when the sign key is wrong", async () => {
    const { server, client } = await setup({}, { credentials: { signKey: "not-the-key" } });
    const error = await client.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DidiAuthError);
    expect((error as Error).message).toContain("sign_key");
    expect(server.counters.signatureFailures).toBe(1);
  });

  it("reuses the cached token across calls", async () => {
    const { server, client } = await setup();
    await client.getLegalEntities();
    await client.getMemberDetail({ employee_number: "E1001" });
    await client.getLegalEntities({ keyword: "上海" });
    expect(server.counters.authorizeCalls).toBe(1);
  });

  it("refreshes the token before its expiry minus the skew, without waiting for a 401", async () => {
    let now = 1_700_000_000_000;
    const { server, client } = await setup({ tokenTtlSeconds: 1800 }, { now: () => now });
    await client.getLegalEntities();
    now += (1800 - 61) * 1000; // still more than 60 s left: cached
    await client.getLegalEntities();
    expect(server.counters.authorizeCalls).toBe(1);
    now += 2_000; // inside the 60 s skew: refreshed up front
    await client.getLegalEntities();
    expect(server.counters.authorizeCalls).toBe(2);
    expect(server.counters.rejectedTokens).toBe(0);
  });

  it("clears the token, re-authorizes once and retries when a call is answered 401", async () => {
    const { server, client } = await setup();
    await client.getLegalEntities();
    server.expireTokens();
    const page = await client.getLegalEntities();
    expect(page.total).toBeGreaterThan(0);
    expect(server.counters.authorizeCalls).toBe(2);
    expect(server.counters.rejectedTokens).toBe(1);
  });

  it("treats errno 401 in a 200 answer like an HTTP 401", async () => {
    const { server, client } = await setup({ unauthorizedAs: "errno" });
    await client.getLegalEntities();
    server.expireTokens();
    await client.editMember({ employee_number: "E1001", data: { legal_entity_id: "9668294457792204005" } });
    expect(server.counters.authorizeCalls).toBe(2);
    expect(server.edits).toHaveLength(1);
  });

  it("re-authorizes only once: a second 401 is thrown", async () => {
    const { server, client } = await setup({ tokenMaxUses: 0 });
    await expect(client.getLegalEntities()).rejects.toBeInstanceOf(HttpUnauthorizedError);
    expect(server.counters.authorizeCalls).toBe(2);
  });
});

describe("DidiClient signed calls", () => {
  it("sends client_id, company_id, access_token, timestamp and a verified sign on GET and POST", async () => {
    const { server, client } = await setup();
    await client.getMemberDetail({ employee_number: "E1002" });
    await client.editMember({ member_id: "1125902545811002", data: { legal_entity_id: "9668294457792204006" } });
    const [get, post] = server.requests.slice(1);
    for (const params of [get?.query, post?.json] as Record<string, unknown>[]) {
      expect(Object.keys(params).sort()).toEqual(
        expect.arrayContaining(["access_token", "client_id", "company_id", "sign", "timestamp"]),
      );
      expect(params.company_id).toBe(DIDI_TEST_CREDENTIALS.companyId);
      expect(params.sign).toBe(expectedDidiSign(params, DIDI_TEST_CREDENTIALS.signKey));
    }
    expect((post?.json as Record<string, unknown>).data).toBe('{"legal_entity_id":"9668294457792204006"}');
    expect(server.counters.signatureFailures).toBe(0);
  });

  it("returns the envelope's data: legal entities, member detail, and records the edit", async () => {
    const { server, client } = await setup();
    const page = await client.getLegalEntities({ keyword: "北京联科数据服务有限公司", is_exact_name: 1 });
    expect(page.records.map((r) => [r.name, r.legal_entity_id])).toEqual([["北京联科数据服务有限公司", "9668294457792204006"]]);
    const member = await client.getMemberDetail({ employee_number: "E1003" });
    expect(member).toMatchObject({ member_id: "1125902545811003", realname: "王强" });
    await client.editMember({ member_id: member.member_id, data: { legal_entity_id: "9668294457792204005" } });
    expect(server.members.find((m) => m.employee_number === "E1003")?.legal_entity_id).toBe("9668294457792204005");
  });

  it("throws DidiApiError with errno and errmsg when Didi refuses a call", async () => {
    const { client } = await setup();
    const error = await client.getMemberDetail({ employee_number: "NOPE" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DidiApiError);
    expect(error).toMatchObject({ code: "DIDI_API_ERROR", errno: 50202, errmsg: "员工不存在" });
  });

  it("retries a GET after a 5xx but never the Member/edit POST", async () => {
    const { server, client } = await setup();
    await client.getAccessToken();
    server.faults.failNext(1, { status: 502, path: "/river/LegalEntity/get" });
    await expect(client.getLegalEntities()).resolves.toMatchObject({ total: 3 });
    expect(server.requests.filter((r) => r.path === "/river/LegalEntity/get")).toHaveLength(2);

    server.faults.failNext(1, { status: 502, path: "/river/Member/edit" });
    await expect(client.editMember({ employee_number: "E1001", data: { realname: "张伟" } })).rejects.toBeInstanceOf(HttpServerError);
    expect(server.requests.filter((r) => r.path === "/river/Member/edit")).toHaveLength(1);
    expect(server.edits).toHaveLength(0);
  });

  it("throws HttpTimeoutError when Didi answers too slowly", async () => {
    const { server, client } = await setup({}, { timeoutMs: 100 });
    await client.getAccessToken();
    server.faults.setDelay(2_000, "/river/Member/edit");
    await expect(client.editMember({ employee_number: "E1001", data: {} })).rejects.toBeInstanceOf(HttpTimeoutError);
  });
});

describe("DidiClient redaction", () => {
  it("never writes the client secret, sign key, access tokens or signs in clear", async () => {
    const { server, client, log } = await setup();
    await client.getLegalEntities();
    server.expireTokens();
    await client.getMemberDetail({ employee_number: "E1001" });
    const text = log.text();
    expect(text.length).toBeGreaterThan(0);
    const signs = server.requests.map((r) => String((r.json as Record<string, unknown> | undefined)?.sign ?? r.query.sign));
    for (const secret of [DIDI_TEST_CREDENTIALS.clientSecret, DIDI_TEST_CREDENTIALS.signKey, ...server.issuedTokens, ...signs]) {
      expect(text).not.toContain(secret);
    }
  });
});

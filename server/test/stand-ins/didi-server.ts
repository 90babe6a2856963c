// A loopback stand-in for Didi enterprise's "river" API: client-credentials authorization,
// signature and token checks on every call, legal entities, member detail and member edits.
import { createHash, randomBytes } from "node:crypto";
import { startHttpStandIn, type Faults, type RecordedRequest, type Reply } from "./http-stand-in.ts";

export interface DidiLegalEntityRecord {
  legal_entity_id: string;
  name: string;
  out_legal_entity_id?: string;
}

export interface DidiMemberRecord {
  member_id: string;
  employee_number: string;
  realname: string;
  phone: string;
  legal_entity_id: string | null;
}

export interface DidiServerOptions {
  clientId?: string;
  clientSecret?: string;
  signKey?: string;
  companyId?: string;
  /** `expires_in` of issued tokens. Default 1800. */
  tokenTtlSeconds?: number;
  /** Business calls a token answers before it turns invalid. Default: unlimited. */
  tokenMaxUses?: number;
  /** How a bad token is answered: HTTP 401 (default) or HTTP 200 with errno 401. */
  unauthorizedAs?: "status" | "errno";
  legalEntities?: DidiLegalEntityRecord[];
  members?: DidiMemberRecord[];
}

export interface DidiEditRecord {
  at: number;
  member_id: string;
  data: Record<string, unknown>;
}

export interface DidiCounters {
  authorizeCalls: number;
  /** Requests refused because their sign did not match the documented algorithm. */
  signatureFailures: number;
  rejectedTokens: number;
  legalEntityQueries: number;
  memberDetailCalls: number;
}

export interface DidiServer {
  url: string;
  requests: RecordedRequest[];
  counters: DidiCounters;
  edits: DidiEditRecord[];
  /** The live member table; edits change it. */
  members: DidiMemberRecord[];
  issuedTokens: string[];
  faults: Faults;
  /** Makes every token issued so far invalid. */
  expireTokens(): void;
  close(): Promise<void>;
}

export const DIDI_TEST_CREDENTIALS = {
  clientId: "didi-client-7a1c",
  clientSecret: "didi-secret-9f3b2e71",
  signKey: "didi-signkey-5d8e0c44",
  companyId: "1125900000001",
};

export const DEFAULT_DIDI_LEGAL_ENTITIES: DidiLegalEntityRecord[] = [
  { legal_entity_id: "9668294457792204005", name: "上海联科信息技术有限公司", out_legal_entity_id: "SH01" },
  { legal_entity_id: "9668294457792204006", name: "北京联科数据服务有限公司", out_legal_entity_id: "BJ01" },
  { legal_entity_id: "9668294457792204007", name: "上海联科信息技术有限公司苏州分公司", out_legal_entity_id: "SZ01" },
];

export const DEFAULT_DIDI_MEMBERS: DidiMemberRecord[] = [
  { member_id: "1125902545811001", employee_number: "E1001", realname: "张伟", phone: "13800000001", legal_entity_id: null },
  { member_id: "1125902545811002", employee_number: "E1002", realname: "李娜", phone: "13800000002", legal_entity_id: null },
  { member_id: "1125902545811003", employee_number: "E1003", realname: "王强", phone: "13800000003", legal_entity_id: null },
];

/**
 * The signature, written out independently of the client so the stand-in checks the
 * documented algorithm rather than echoing the client's code: all params except `sign`, plus
 * `sign_key`, sorted by name, joined `k=v` with `&`, MD5, lower-case hex.
 */
export function expectedDidiSign(params: Record<string, unknown>, signKey: string): string {
  const entries = Object.entries({ ...params, sign_key: signKey })
    .filter(([key, value]) => key !== "sign" && value !== null && value !== undefined)
    .map(([key, value]) => [key, typeof value === "object" ? JSON.stringify(value) : String(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("md5").update(entries.map(([k, v]) => `${k}=${v}`).join("&"), "utf8").digest("hex");
}

export async function startDidiServer(options: DidiServerOptions = {}): Promise<DidiServer> {
  const creds = {
    clientId: options.clientId ?? DIDI_TEST_CREDENTIALS.clientId,
    clientSecret: options.clientSecret ?? DIDI_TEST_CREDENTIALS.clientSecret,
    signKey: options.signKey ?? DIDI_TEST_CREDENTIALS.signKey,
    companyId: options.companyId ?? DIDI_TEST_CREDENTIALS.companyId,
  };
  const ttl = options.tokenTtlSeconds ?? 1800;
  const entities = options.legalEntities ?? DEFAULT_DIDI_LEGAL_ENTITIES;
  const members = structuredClone(options.members ?? DEFAULT_DIDI_MEMBERS);
  const tokens = new Map<string, { uses: number; valid: boolean; expiresAt: number }>();
  const issuedTokens: string[] = [];
  const edits: DidiEditRecord[] = [];
  const counters: DidiCounters = {
    authorizeCalls: 0,
    signatureFailures: 0,
    rejectedTokens: 0,
    legalEntityQueries: 0,
    memberDetailCalls: 0,
  };

  const ok = (data: unknown): Reply => ({ status: 200, body: { errno: 0, errmsg: "SUCCESS", data } });
  const fail = (errno: number, errmsg: string): Reply => ({ status: 200, body: { errno, errmsg, data: null } });

  function paramsOf(req: RecordedRequest): Record<string, unknown> {
    return req.method === "GET" ? req.query : ((req.json ?? {}) as Record<string, unknown>);
  }

  function verifySign(params: Record<string, unknown>): Reply | null {
    if (typeof params.sign === "string" && params.sign === expectedDidiSign(params, creds.signKey)) return null;
    counters.signatureFailures++;
    return fail(40003, "签名校验失败 (sign mismatch)");
  }

  function authorize(req: RecordedRequest): Reply {
    counters.authorizeCalls++;
    const params = paramsOf(req);
    const badSign = verifySign(params);
    if (badSign) return badSign;
    if (params.client_id !== creds.clientId || params.client_secret !== creds.clientSecret) {
      return fail(40001, "client_id 或 client_secret 错误");
    }
    if (params.grant_type !== "client_credentials") return fail(40002, "grant_type 错误");
    const token = randomBytes(20).toString("hex");
    tokens.set(token, { uses: 0, valid: true, expiresAt: Date.now() + ttl * 1000 });
    issuedTokens.push(token);
    return { status: 200, body: { access_token: token, expires_in: ttl, token_type: "Bearer", scope: "river_member|river_company" } };
  }

  /** Null when signature, client, company and token are all good; else the refusal. */
  function checkCall(params: Record<string, unknown>): Reply | null {
    const badSign = verifySign(params);
    if (badSign) return badSign;
    if (params.client_id !== creds.clientId) return fail(40001, "client_id 错误");
    if (String(params.company_id) !== creds.companyId) return fail(40004, "company_id 错误");
    const state = typeof params.access_token === "string" ? tokens.get(params.access_token) : undefined;
    const exhausted = state && options.tokenMaxUses !== undefined && state.uses >= options.tokenMaxUses;
    if (!state || !state.valid || exhausted || state.expiresAt <= Date.now()) {
      if (state) state.valid = false;
      counters.rejectedTokens++;
      const body = { errno: 401, errmsg: "access_token不合法或已过期", data: null };
      return options.unauthorizedAs === "errno" ? { status: 200, body } : { status: 401, body };
    }
    state.uses++;
    return null;
  }

  function findMember(params: Record<string, unknown>): DidiMemberRecord | undefined {
    if (params.member_id !== undefined) return members.find((m) => m.member_id === String(params.member_id));
    if (params.employee_number !== undefined) {
      return members.find((m) => m.employee_number === String(params.employee_number));
    }
    return undefined;
  }

  function legalEntities(params: Record<string, unknown>): Reply {
    counters.legalEntityQueries++;
    const keyword = params.keyword === undefined ? undefined : String(params.keyword);
    const exact = String(params.is_exact_name ?? "0") === "1";
    let found = entities.filter((e) => {
      if (params.legal_entity_id !== undefined && e.legal_entity_id !== String(params.legal_entity_id)) return false;
      if (keyword === undefined) return true;
      return exact ? e.name === keyword : e.name.includes(keyword) || e.out_legal_entity_id === keyword;
    });
    const total = found.length;
    const offset = Number(params.offset ?? 0);
    const length = Math.min(100, Number(params.length ?? 20));
    found = found.slice(offset, offset + length);
    return ok({ total, records: found.map((e) => ({ ...e, parent_id: 0, taxpayer_no: "", address: "" })) });
  }

  function memberDetail(params: Record<string, unknown>): Reply {
    counters.memberDetailCalls++;
    const member = findMember(params);
    if (!member) return fail(50202, "员工不存在");
    return ok({ ...member, email: "", system_role: 0, use_company_money: 1 });
  }

  function memberEdit(req: RecordedRequest, params: Record<string, unknown>): Reply {
    const member = findMember(params);
    if (!member) return fail(50202, "员工不存在");
    if (typeof params.data !== "string") return fail(40005, "data 必须是 JSON 字符串");
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(params.data) as Record<string, unknown>;
    } catch {
      return fail(40005, "data 不是合法的 JSON");
    }
    if ("legal_entity_id" in data) {
      const id = String(data.legal_entity_id);
      if (!entities.some((e) => e.legal_entity_id === id)) return fail(50301, `公司主体不存在: ${id}`);
      member.legal_entity_id = id;
    }
    edits.push({ at: req.at, member_id: member.member_id, data });
    return ok(null);
  }

  const http = await startHttpStandIn((req) => {
    if (req.method === "POST" && req.path === "/river/Auth/authorize") return authorize(req);
    const params = paramsOf(req);
    const refusal = checkCall(params);
    if (refusal) return refusal;
    if (req.method === "GET" && req.path === "/river/LegalEntity/get") return legalEntities(params);
    if (req.method === "GET" && req.path === "/river/Member/detail") return memberDetail(params);
    if (req.method === "POST" && req.path === "/river/Member/edit") return memberEdit(req, params);
    return { status: 404, body: { errno: 404, errmsg: `no route ${req.method} ${req.path}`, data: null } };
  });

  return {
    url: http.url,
    requests: http.requests,
    counters,
    edits,
    members,
    issuedTokens,
    faults: http.faults,
    expireTokens() {
      for (const state of tokens.values()) state.valid = false;
    },
    close: () => http.close(),
  };
}

// A loopback stand-in for Seeyon OA's REST API: token issue, token checks on business calls,
// and the CAP4 form export. Tests steer how tokens expire and how a bad token is answered.
import { randomUUID } from "node:crypto";
import { startHttpStandIn, type Faults, type RecordedRequest, type Reply } from "./http-stand-in.ts";
import { DEFAULT_SEEYON_FORM, cap4ExportPayload, type SeeyonForm } from "./seeyon-form.ts";

export type InvalidTokenAnswer = "401" | "invalid-token-body";

export interface SeeyonServerOptions {
  /** REST accounts, userName → password. Default { "rest-user": "rest-pass-1234" }. */
  users?: Record<string, string>;
  /** Business calls a token answers before it turns invalid. Default: unlimited. */
  tokenMaxUses?: number;
  /** How a bad token is answered: HTTP 401 (default) or HTTP 200 with body "Invalid token". */
  invalidTokenAnswer?: InvalidTokenAnswer;
  /** Forms by template code. Default: DEFAULT_SEEYON_FORM. */
  forms?: SeeyonForm[];
}

export interface SeeyonCounters {
  tokenRequests: number;
  exportRequests: number;
  /** Business calls refused because of their token. */
  rejectedTokens: number;
}

export interface SeeyonServer {
  url: string;
  requests: RecordedRequest[];
  counters: SeeyonCounters;
  /** Every token issued, in order. */
  issuedTokens: string[];
  faults: Faults;
  /** Makes every token issued so far invalid. */
  invalidateTokens(): void;
  setInvalidTokenAnswer(answer: InvalidTokenAnswer): void;
  close(): Promise<void>;
}

export const DEFAULT_SEEYON_USERS: Record<string, string> = { "rest-user": "rest-pass-1234" };

export async function startSeeyonServer(options: SeeyonServerOptions = {}): Promise<SeeyonServer> {
  const users: Record<string, string> = options.users ?? DEFAULT_SEEYON_USERS;
  const forms = new Map((options.forms ?? [DEFAULT_SEEYON_FORM]).map((f) => [f.templateCode, f]));
  let invalidTokenAnswer = options.invalidTokenAnswer ?? "401";
  const tokens = new Map<string, { uses: number; valid: boolean }>();
  const issuedTokens: string[] = [];
  const counters: SeeyonCounters = { tokenRequests: 0, exportRequests: 0, rejectedTokens: 0 };

  function issueToken(req: RecordedRequest): Reply {
    counters.tokenRequests++;
    const body = (req.json ?? {}) as { userName?: unknown; password?: unknown; loginName?: unknown };
    const user = typeof body.userName === "string" ? body.userName : "";
    if (!user || users[user] === undefined || users[user] !== body.password) {
      return { status: 401, body: { code: 401, message: "用户名或密码错误" } };
    }
    const id = randomUUID();
    tokens.set(id, { uses: 0, valid: true });
    issuedTokens.push(id);
    return {
      status: 200,
      body: {
        id,
        bindingUser: { loginName: typeof body.loginName === "string" ? body.loginName : user, name: user },
      },
    };
  }

  /** Null when the token is good (and counts the use), else the refusal to send. */
  function checkToken(req: RecordedRequest): Reply | null {
    const header = req.headers.token;
    const state = typeof header === "string" ? tokens.get(header) : undefined;
    const exhausted = state && options.tokenMaxUses !== undefined && state.uses >= options.tokenMaxUses;
    if (!state || !state.valid || exhausted) {
      if (state) state.valid = false;
      counters.rejectedTokens++;
      return invalidTokenAnswer === "401"
        ? { status: 401, body: { code: 401, message: "Invalid token" } }
        : { status: 200, body: "Invalid token" };
    }
    state.uses++;
    return null;
  }

  function exportForm(req: RecordedRequest): Reply {
    counters.exportRequests++;
    const body = (req.json ?? {}) as { templateCode?: unknown };
    const form = typeof body.templateCode === "string" ? forms.get(body.templateCode) : undefined;
    if (!form) return { status: 200, body: { code: 1, message: `表单模板不存在: ${String(body.templateCode)}`, data: null } };
    return { status: 200, body: cap4ExportPayload(form) };
  }

  const http = await startHttpStandIn((req) => {
    if (req.method === "POST" && req.path === "/seeyon/rest/token") return issueToken(req);
    const refusal = checkToken(req);
    if (refusal) return refusal;
    if (req.method === "POST" && req.path === "/seeyon/rest/cap4/form/soap/export") return exportForm(req);
    return { status: 404, body: { code: 404, message: `no route ${req.method} ${req.path}` } };
  });

  return {
    url: http.url,
    requests: http.requests,
    counters,
    issuedTokens,
    faults: http.faults,
    invalidateTokens() {
      for (const state of tokens.values()) state.valid = false;
    },
    setInvalidTokenAnswer(answer) {
      invalidTokenAnswer = answer;
    },
    close: () => http.close(),
  };
}

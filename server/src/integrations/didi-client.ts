import { BaseClient, type BaseClientOptions, type RequestOptions } from "./base-client.ts";
import { didiSign, prepareDidiParams, type DidiParamValue } from "./didi-sign.ts";
import { HttpResponseFormatError, HttpUnauthorizedError, IntegrationError } from "./errors.ts";
import { mask } from "./redact.ts";

export const DIDI_AUTH_PATH = "/river/Auth/authorize";
export const DIDI_LEGAL_ENTITY_GET_PATH = "/river/LegalEntity/get";
export const DIDI_MEMBER_DETAIL_PATH = "/river/Member/detail";
export const DIDI_MEMBER_EDIT_PATH = "/river/Member/edit";

/** Didi documents 401 as "access_token invalid or expired", as HTTP status and as errno. */
const TOKEN_REJECTED_ERRNO = 401;
/** Didi asks callers to cache a token for its lifetime (1800 s); used when expires_in is absent. */
const DEFAULT_EXPIRES_IN_S = 1_800;

/** Parameters that identify the account; masked in logs like the secret ones. */
const DIDI_ACCOUNT_KEYS = ["client_id", "company_id"];

export type DidiParams = Record<string, DidiParamValue>;

export interface DidiCredentials {
  companyId: string;
  clientId: string;
  clientSecret: string;
  /** The signing key; signed into every request, never sent. */
  signKey: string;
}

export interface DidiClientOptions extends Omit<BaseClientOptions, "name"> {
  credentials: DidiCredentials;
  name?: string;
  /** Refresh this long before the token's stated expiry. Default 60 s. */
  tokenSkewMs?: number;
  /** Clock in ms, for request timestamps and token expiry. Tests move it forward. */
  now?: () => number;
}

export interface DidiEnvelope<T> {
  errno: number;
  errmsg: string;
  data: T;
  request_id?: string;
}

export interface DidiLegalEntity {
  legal_entity_id: string | number;
  name: string;
  out_legal_entity_id?: string;
  [field: string]: unknown;
}

export interface DidiLegalEntityPage {
  total: number;
  records: DidiLegalEntity[];
}

export interface DidiMember {
  member_id: string | number;
  employee_number?: string;
  realname?: string;
  phone?: string;
  legal_entity_id?: string | number | null;
  [field: string]: unknown;
}

/** Didi answered with a non-zero errno: the call reached Didi and Didi refused it. */
export class DidiApiError extends IntegrationError {
  override readonly name = "DidiApiError";
  readonly code = "DIDI_API_ERROR";
  readonly path: string;
  readonly errno: number;
  readonly errmsg: string;
  constructor(
    path: string,
    errno: number,
    errmsg: string,
  ) {
    super(`didi: ${path} answered errno ${errno}: ${errmsg || "(no message)"}`);
    this.path = path;
    this.errno = errno;
    this.errmsg = errmsg;
  }
}

/** Authorization gave no access token (wrong client_id/client_secret/sign_key, or an account problem). */
export class DidiAuthError extends IntegrationError {
  override readonly name = "DidiAuthError";
  readonly code = "DIDI_AUTH_FAILED";
}

/**
 * Didi enterprise (滴滴企业版) client. Every call carries client_id, company_id, access_token,
 * timestamp and an MD5 sign (see didi-sign.ts). The access token is cached until shortly
 * before it expires; when Didi rejects it (401) the token is dropped, a new one obtained, and
 * the call retried once.
 */
export class DidiClient extends BaseClient {
  private readonly credentials: DidiCredentials;
  private readonly tokenSkewMs: number;
  private readonly now: () => number;
  private token: { value: string; refreshAt: number } | null = null;

  constructor(options: DidiClientOptions) {
    // client_id and company_id identify the company's Didi account: logged masked, by name and by value.
    super({ ...options, name: options.name ?? "didi", sensitiveKeys: [...(options.sensitiveKeys ?? []), ...DIDI_ACCOUNT_KEYS] });
    this.credentials = options.credentials;
    this.tokenSkewMs = options.tokenSkewMs ?? 60_000;
    this.now = options.now ?? Date.now;
    const { clientId, companyId, clientSecret, signKey } = options.credentials;
    for (const value of [clientId, companyId, clientSecret, signKey]) this.redactor.addSecret(value);
  }

  /** Always asks Didi for a new access token and caches it. */
  async authorize(signal?: AbortSignal): Promise<string> {
    const { clientId, clientSecret, signKey } = this.credentials;
    const params = {
      client_id: clientId,
      client_secret: clientSecret,
      grant_type: "client_credentials",
      timestamp: this.timestamp(),
    };
    const answer = await this.postJson<Record<string, unknown>>(
      DIDI_AUTH_PATH,
      { ...params, sign: didiSign(params, signKey) },
      { signal },
    );
    const token = answer?.access_token;
    if (typeof token !== "string" || token === "") {
      const why = answer && "errno" in answer ? ` (errno ${String(answer.errno)}: ${String(answer.errmsg ?? "")})` : "";
      throw new DidiAuthError(
        `didi: ${DIDI_AUTH_PATH} gave no access_token${why}. Check client_id, client_secret and sign_key.`,
      );
    }
    const expiresInS = Number(answer.expires_in) > 0 ? Number(answer.expires_in) : DEFAULT_EXPIRES_IN_S;
    this.redactor.addSecret(token);
    this.token = { value: token, refreshAt: this.now() + expiresInS * 1000 - this.tokenSkewMs };
    this.log().info({ access_token: mask(token), expires_in: expiresInS }, "didi access token obtained");
    return token;
  }

  /** The cached token while it is fresh, otherwise a new one. */
  async getAccessToken(signal?: AbortSignal): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return this.token.value;
    return this.authorize(signal);
  }

  /** Forgets the cached token (the next call authorizes again). */
  clearToken(): void {
    this.token = null;
  }

  /** A signed business call; resolves to the envelope's `data` when errno is 0. */
  async call<T = unknown>(method: "GET" | "POST", path: string, params: DidiParams = {}, signal?: AbortSignal): Promise<T> {
    const token = await this.getAccessToken(signal);
    try {
      return await this.signedCall<T>(method, path, params, token, signal);
    } catch (error) {
      const rejected =
        error instanceof HttpUnauthorizedError || (error instanceof DidiApiError && error.errno === TOKEN_REJECTED_ERRNO);
      if (!rejected) throw error;
      this.log().info({ path }, "didi rejected the access token; authorizing again");
    }
    this.clearToken();
    const fresh = await this.authorize(signal);
    return this.signedCall<T>(method, path, params, fresh, signal);
  }

  /** 公司主体查询. Useful params: keyword, is_exact_name (1 = exact name), offset, length (≤100). */
  getLegalEntities(params: DidiParams = {}, signal?: AbortSignal): Promise<DidiLegalEntityPage> {
    return this.call<DidiLegalEntityPage>("GET", DIDI_LEGAL_ENTITY_GET_PATH, params, signal);
  }

  /** 员工明细, by member_id or employee_number. */
  getMemberDetail(params: DidiParams, signal?: AbortSignal): Promise<DidiMember> {
    return this.call<DidiMember>("GET", DIDI_MEMBER_DETAIL_PATH, params, signal);
  }

  /**
   * 员工修改: member_id or employee_number, and `data` (an object, sent as the JSON string
   * Didi expects). Didi asks for ≥150 ms between consecutive writes of one company.
   */
  editMember(params: DidiParams, signal?: AbortSignal): Promise<unknown> {
    return this.call("POST", DIDI_MEMBER_EDIT_PATH, params, signal);
  }

  private async signedCall<T>(
    method: "GET" | "POST",
    path: string,
    params: DidiParams,
    token: string,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const { clientId, companyId, signKey } = this.credentials;
    const full = {
      ...prepareDidiParams(params),
      client_id: clientId,
      company_id: companyId,
      access_token: token,
      timestamp: this.timestamp(),
    };
    const signed = { ...full, sign: didiSign(full, signKey) };
    const options: RequestOptions = { signal, headers: { accept: "application/json" } };
    const res =
      method === "GET"
        ? await this.request("GET", path, { ...options, query: signed })
        : await this.request("POST", path, { ...options, body: signed });
    const envelope = this.parseJson<Partial<DidiEnvelope<T>> | null>(res, method);
    if (!envelope || typeof envelope !== "object" || typeof envelope.errno !== "number") {
      throw new HttpResponseFormatError(this.name, method, this.redactor.url(res.url), "JSON without an errno", this.redactor.body(res.text, 500));
    }
    if (envelope.errno !== 0) throw new DidiApiError(path, envelope.errno, this.redactor.text(String(envelope.errmsg ?? "")));
    return envelope.data as T;
  }

  private timestamp(): number {
    return Math.floor(this.now() / 1000);
  }
}

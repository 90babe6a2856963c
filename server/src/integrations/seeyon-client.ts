import { BaseClient, type BaseClientOptions, type HttpMethod, type HttpResponse, type RequestOptions } from "./base-client.ts";
import { HttpUnauthorizedError, IntegrationError } from "./errors.ts";
import { mask } from "./redact.ts";

export const SEEYON_TOKEN_PATH = "/seeyon/rest/token";
export const SEEYON_CAP4_EXPORT_PATH = "/seeyon/rest/cap4/form/soap/export";

/** Seeyon answers some token failures with HTTP 200 and this text in the body. */
const INVALID_TOKEN_MARKER = "Invalid token";
/**
 * Only the head of a body is searched for the marker: an error answer is short, while a large
 * form export could legitimately contain the words somewhere in its data.
 */
const INVALID_TOKEN_SCAN_CHARS = 512;

export interface SeeyonCredentials {
  /** The REST account (Seeyon: 表单应用 → REST 用户管理). */
  restUser: string;
  restPassword: string;
  /** Optional: act as this OA login name. */
  loginName?: string;
}

export interface SeeyonClientOptions extends Omit<BaseClientOptions, "name"> {
  credentials: SeeyonCredentials;
  name?: string;
}

export interface Cap4ExportRequest {
  /** Form template code (表单模板编号). */
  templateCode: string;
  senderLoginName?: string;
  /** `viewId.authId` of the view/permission to export with. */
  rightId?: string;
  doTrigger?: boolean | string;
  param?: unknown;
  /** Extra fields merged into the request body as they are. */
  extra?: Record<string, unknown>;
}

export interface Cap4ExportResult {
  /** The response body exactly as received. */
  raw: string;
  contentType: string | null;
  /** From Content-Length when present, else the body's UTF-8 byte length. */
  contentLength: number;
}

/** The token call succeeded at HTTP level but gave no usable token, or a new token was refused at once. */
export class SeeyonAuthError extends IntegrationError {
  override readonly name = "SeeyonAuthError";
  readonly code = "SEEYON_AUTH_FAILED";
}

/**
 * Seeyon OA REST client. A token comes from `POST /seeyon/rest/token` (its `id` field) and rides
 * in the `token` header; when Seeyon rejects it (HTTP 401, or a body saying "Invalid token") the
 * client authenticates again and retries the call once.
 */
export class SeeyonClient extends BaseClient {
  private readonly credentials: SeeyonCredentials;
  private token: string | null = null;

  constructor(options: SeeyonClientOptions) {
    super({ ...options, name: options.name ?? "seeyon" });
    this.credentials = options.credentials;
    this.redactor.addSecret(options.credentials.restPassword);
  }

  /** The cached token, if one was obtained. */
  get currentToken(): string | null {
    return this.token;
  }

  /** Gets a fresh token (always calls Seeyon) and caches it for the calls that follow. */
  async authenticate(signal?: AbortSignal): Promise<string> {
    const { restUser, restPassword, loginName } = this.credentials;
    const body: Record<string, string> = { userName: restUser, password: restPassword };
    if (loginName) body.loginName = loginName;
    // The token arrives as `id`, which no generic rule would treat as secret.
    const data = await this.postJson<unknown>(SEEYON_TOKEN_PATH, body, { sensitiveKeys: ["id"], signal });
    const id = data && typeof data === "object" ? (data as { id?: unknown }).id : undefined;
    if (typeof id !== "string" && typeof id !== "number") {
      throw new SeeyonAuthError(
        `seeyon: ${SEEYON_TOKEN_PATH} answered without a token id. ` +
          "Check rest_user/rest_password, and that the REST account is enabled in Seeyon.",
      );
    }
    const token = String(id);
    if (token === "" || token === "-1") {
      throw new SeeyonAuthError(
        `seeyon: ${SEEYON_TOKEN_PATH} refused the REST account "${restUser}". Check rest_user/rest_password.`,
      );
    }
    this.redactor.addSecret(token);
    this.token = token;
    this.log().info({ token: mask(token) }, `seeyon token obtained for ${restUser}`);
    return token;
  }

  /**
   * A business call with the token header. Authenticates first if needed; re-authenticates and
   * retries once when the token is rejected.
   */
  async authorizedRequest(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const token = this.token ?? (await this.authenticate(options.signal));
    try {
      const res = await this.withToken(method, path, options, token);
      if (!saysInvalidToken(res.text)) return res;
      this.log().info({ path }, "seeyon rejected the token (Invalid token); authenticating again");
    } catch (error) {
      if (!(error instanceof HttpUnauthorizedError)) throw error;
      this.log().info({ path }, "seeyon rejected the token (401); authenticating again");
    }
    this.token = null;
    const fresh = await this.authenticate(options.signal);
    const res = await this.withToken(method, path, options, fresh);
    if (saysInvalidToken(res.text)) {
      throw new SeeyonAuthError(
        `seeyon: ${method} ${path} still answered "Invalid token" with a token issued just before. ` +
          "The REST account may lack access to this resource; check its permissions in Seeyon.",
      );
    }
    return res;
  }

  /** CAP4 无流程表单导出: exports a form's definition and data, returned as raw text. */
  async exportCap4Form(request: Cap4ExportRequest, signal?: AbortSignal): Promise<Cap4ExportResult> {
    const { templateCode, senderLoginName, rightId, doTrigger, param, extra } = request;
    const body: Record<string, unknown> = { ...extra, templateCode };
    if (senderLoginName !== undefined) body.senderLoginName = senderLoginName;
    if (rightId !== undefined) body.rightId = rightId;
    if (doTrigger !== undefined) body.doTrigger = doTrigger;
    if (param !== undefined) body.param = param;
    const res = await this.authorizedRequest("POST", SEEYON_CAP4_EXPORT_PATH, {
      body,
      headers: { accept: "application/json, text/plain, */*" },
      signal,
    });
    const header = res.headers.get("content-length");
    const contentLength = header !== null && /^\d+$/.test(header) ? Number(header) : Buffer.byteLength(res.text, "utf8");
    return { raw: res.text, contentType: res.headers.get("content-type"), contentLength };
  }

  private withToken(method: HttpMethod, path: string, options: RequestOptions, token: string): Promise<HttpResponse> {
    return this.request(method, path, { ...options, headers: { ...options.headers, token } });
  }
}

function saysInvalidToken(body: string): boolean {
  return body.slice(0, INVALID_TOKEN_SCAN_CHARS).includes(INVALID_TOKEN_MARKER);
}

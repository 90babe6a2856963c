import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, bearer, postGraphql, startApiFixture, type ApiFixture } from "./api-harness.ts";

// Tokens and users managed through the API while the server runs.

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture({}, "api");
});
afterAll(async () => {
  await f?.close();
});

const asAdmin = (query: string, variables: Record<string, unknown> = {}) => postGraphql(f.baseUrl, query, variables, bearer(f.tokens.ADMIN));

interface Session {
  headers: Record<string, string>;
}

async function login(username: string, password: string): Promise<Session | null> {
  const res = await fetch(`${f.baseUrl}/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) return null;
  const body = (await res.json()) as { csrfToken: string };
  return { headers: { cookie: res.headers.get("set-cookie")!.split(";")[0]!, "x-csrf-token": body.csrfToken } };
}

async function whoAmI(session: Session): Promise<string | null> {
  const res = await postGraphql(f.baseUrl, "{ me { name role } }", {}, session.headers);
  return res.status === 200 ? `${res.json.data.me.name}:${res.json.data.me.role}` : null;
}

const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  __typename ... on CreateApiTokenPayload { token apiToken { id name prefix role expiresAt active } }
  ... on ValidationError { code fieldErrors { field message } } } }`;
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) {
  __typename ... on MutationCreateUserSuccess { data { id username role disabled } }
  ... on ValidationError { code fieldErrors { field } } } }`;
const UPDATE_USER = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) {
  __typename ... on MutationUpdateUserSuccess { data { role disabled } } ... on Error { code message } } }`;

async function createUser(username: string, password: string, role = "OPERATOR"): Promise<string> {
  const res = await asAdmin(CREATE_USER, { input: { username, password, role } });
  expect(res.json.data.createUser.__typename).toBe("MutationCreateUserSuccess");
  return res.json.data.createUser.data.id as string;
}

describe("API tokens through the API", () => {
  it("a created token is returned once, works at once, is listed without its secret, and stops at once when revoked", async () => {
    const created = await asAdmin(CREATE_TOKEN, { input: { name: "oa-sync", role: "VIEWER" } });
    const { token, apiToken } = created.json.data.createApiToken;
    expect(token).toMatch(/^chub_/);
    expect(apiToken).toMatchObject({ name: "oa-sync", role: "VIEWER", expiresAt: null, active: true });
    expect(token.startsWith(apiToken.prefix)).toBe(true);

    const me = await postGraphql(f.baseUrl, "{ me { name role kind } }", {}, bearer(token));
    expect(me.json.data.me).toEqual({ name: "oa-sync", role: "VIEWER", kind: "API_TOKEN" });

    const list = await asAdmin("{ apiTokens { id name prefix active lastUsedAt } }");
    expect(list.text).not.toContain(token);
    expect(list.json.data.apiTokens.find((t: { id: string }) => t.id === apiToken.id)).toMatchObject({ name: "oa-sync", active: true });
    expect(list.json.data.apiTokens.find((t: { id: string }) => t.id === apiToken.id).lastUsedAt).not.toBeNull();

    const revoked = await asAdmin(`mutation { revokeApiToken(id: ${apiToken.id}) { __typename ... on MutationRevokeApiTokenSuccess { data { active revokedAt } } } }`);
    expect(revoked.json.data.revokeApiToken.data.active).toBe(false);
    expect(revoked.json.data.revokeApiToken.data.revokedAt).not.toBeNull();
    expect((await postGraphql(f.baseUrl, "{ me { name } }", {}, bearer(token))).status).toBe(401);

    const again = await asAdmin(`mutation { revokeApiToken(id: ${apiToken.id}) { __typename ... on Error { code } } }`);
    expect(again.json.data.revokeApiToken).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND" });
    const hidden = await asAdmin("{ apiTokens { id } }");
    expect(hidden.json.data.apiTokens.map((t: { id: string }) => t.id)).not.toContain(apiToken.id);
    const all = await asAdmin("{ apiTokens(includeRevoked: true) { id } }");
    expect(all.json.data.apiTokens.map((t: { id: string }) => t.id)).toContain(apiToken.id);
  });

  it("a token with an expiry works until then and is refused after", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await asAdmin(CREATE_TOKEN, { input: { name: "short-lived", role: "OPERATOR", expiresAt } });
    const { token, apiToken } = created.json.data.createApiToken;
    expect(new Date(apiToken.expiresAt).toISOString()).toBe(expiresAt);
    expect((await postGraphql(f.baseUrl, "{ me { name } }", {}, bearer(token))).status).toBe(200);
    // Move the expiry into the past instead of waiting for it.
    await f.app.runtime.prisma.apiToken.update({ where: { id: Number(apiToken.id) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await postGraphql(f.baseUrl, "{ me { name } }", {}, bearer(token))).status).toBe(401);
    const list = await asAdmin("{ apiTokens { id active } }");
    expect(list.json.data.apiTokens.find((t: { id: string }) => t.id === apiToken.id).active).toBe(false);
  });

  it("refuses a nameless token and an expiry in the past, naming the fields", async () => {
    const res = await asAdmin(CREATE_TOKEN, { input: { name: " ", role: "VIEWER", expiresAt: "2020-01-01T00:00:00Z" } });
    expect(res.json.data.createApiToken.code).toBe("VALIDATION_FAILED");
    expect(res.json.data.createApiToken.fieldErrors.map((e: { field: string }) => e.field).sort()).toEqual(["expiresAt", "name"]);
    const none = await asAdmin(`mutation { revokeApiToken(id: "nope") { __typename ... on Error { code } } }`);
    expect(none.json.data.revokeApiToken.code).toBe("NOT_FOUND");
  });
});

describe("users through the API", () => {
  it("an admin creates a user who can then log in; short passwords and taken names are refused by field", async () => {
    await createUser("carol", "carol-password-1");
    const session = await login("carol", "carol-password-1");
    expect(session).not.toBeNull();
    expect(await whoAmI(session!)).toBe("carol:OPERATOR");

    const weak = await asAdmin(CREATE_USER, { input: { username: "dave", password: "short", role: "VIEWER" } });
    expect(weak.json.data.createUser.fieldErrors).toEqual([{ field: "password" }]);
    const taken = await asAdmin(CREATE_USER, { input: { username: "carol", password: "another-password", role: "VIEWER" } });
    expect(taken.json.data.createUser.fieldErrors).toEqual([{ field: "username" }]);
    const list = await asAdmin("{ users { username role disabled } }");
    expect(list.json.data.users).toEqual(
      expect.arrayContaining([
        { username: "admin", role: "ADMIN", disabled: false },
        { username: "carol", role: "OPERATOR", disabled: false },
      ]),
    );
    expect(list.text).not.toMatch(/password/i);
  });

  it("a role change applies to the user's open session at once; disabling ends it and blocks login", async () => {
    const id = await createUser("erin", "erin-password-1");
    const session = (await login("erin", "erin-password-1"))!;
    expect(await whoAmI(session)).toBe("erin:OPERATOR");

    const demoted = await asAdmin(UPDATE_USER, { id, input: { role: "VIEWER" } });
    expect(demoted.json.data.updateUser.data).toEqual({ role: "VIEWER", disabled: false });
    expect(await whoAmI(session)).toBe("erin:VIEWER");

    const disabled = await asAdmin(UPDATE_USER, { id, input: { disabled: true } });
    expect(disabled.json.data.updateUser.data).toEqual({ role: "VIEWER", disabled: true });
    expect(await whoAmI(session)).toBeNull();
    expect(await f.app.runtime.prisma.session.count({ where: { userId: Number(id) } })).toBe(0);
    expect(await login("erin", "erin-password-1")).toBeNull();

    await asAdmin(UPDATE_USER, { id, input: { disabled: false } });
    expect(await login("erin", "erin-password-1")).not.toBeNull();
  });

  it("the last enabled admin can be neither demoted nor disabled", async () => {
    const admin = await f.app.runtime.prisma.user.findUniqueOrThrow({ where: { username: "admin" } });
    for (const input of [{ role: "OPERATOR" }, { disabled: true }]) {
      const res = await asAdmin(UPDATE_USER, { id: admin.id, input });
      expect(res.json.data.updateUser).toMatchObject({ __typename: "ActionRefusedError", code: "LAST_ADMIN" });
    }
    // With a second admin, the first may step down.
    const second = await createUser("frank", "frank-password-1", "ADMIN");
    const res = await asAdmin(UPDATE_USER, { id: admin.id, input: { role: "OPERATOR" } });
    expect(res.json.data.updateUser.data.role).toBe("OPERATOR");
    await asAdmin(UPDATE_USER, { id: admin.id, input: { role: "ADMIN" } });
    await asAdmin(UPDATE_USER, { id: second, input: { disabled: true } });
    const missing = await asAdmin(UPDATE_USER, { id: 987654, input: { disabled: true } });
    expect(missing.json.data.updateUser.code).toBe("NOT_FOUND");
  });

  it("an admin's password reset ends the user's sessions and the new password logs in", async () => {
    const id = await createUser("gina", "gina-password-1");
    const session = (await login("gina", "gina-password-1"))!;
    const reset = await asAdmin(`mutation($id: ID!) { resetPassword(id: $id, password: "gina-password-2") { __typename } }`, { id });
    expect(reset.json.data.resetPassword.__typename).toBe("MutationResetPasswordSuccess");
    expect(await whoAmI(session)).toBeNull();
    expect(await login("gina", "gina-password-1")).toBeNull();
    expect(await login("gina", "gina-password-2")).not.toBeNull();
  });

  it("everyone changes their own password: the current one is required, this session stays, other sessions end", async () => {
    await createUser("hank", "hank-password-1", "VIEWER");
    const here = (await login("hank", "hank-password-1"))!;
    const elsewhere = (await login("hank", "hank-password-1"))!;
    const change = (current: string, next: string) =>
      postGraphql(
        f.baseUrl,
        `mutation($c: String!, $n: String!) { changeMyPassword(currentPassword: $c, newPassword: $n) { __typename ... on ValidationError { fieldErrors { field } } } }`,
        { c: current, n: next },
        here.headers,
      );
    expect((await change("wrong-password", "hank-password-2")).json.data.changeMyPassword.fieldErrors).toEqual([{ field: "currentPassword" }]);
    expect((await change("hank-password-1", "short")).json.data.changeMyPassword.fieldErrors).toEqual([{ field: "newPassword" }]);
    expect(await login("hank", "hank-password-1")).not.toBeNull();

    expect((await change("hank-password-1", "hank-password-2")).json.data.changeMyPassword.__typename).toBe("MutationChangeMyPasswordSuccess");
    expect(await whoAmI(here)).toBe("hank:VIEWER");
    expect(await whoAmI(elsewhere)).toBeNull();
    expect(await login("hank", "hank-password-1")).toBeNull();
    expect(await login("hank", "hank-password-2")).not.toBeNull();
  });

  it("an API token has no password to change", async () => {
    const res = await postGraphql(
      f.baseUrl,
      `mutation { changeMyPassword(currentPassword: "x", newPassword: "yyyyyyyyyy") { __typename ... on Error { code } } }`,
      {},
      bearer(f.tokens.VIEWER),
    );
    expect(res.json.data.changeMyPassword).toEqual({ __typename: "ActionRefusedError", code: "NOT_A_USER" });
    expect(ADMIN_PASSWORD).toBeTruthy();
  });
});

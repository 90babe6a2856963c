// Errors the API returns never quote a secret value: a handler's schema that echoes the refused
// secret has it masked in the field error of createJob.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_JOBS_ROOT } from "../execution/harness.ts";
import { bearer, postGraphql, startApiFixture, type ApiFixture } from "./api-harness.ts";

let f: ApiFixture;
beforeAll(async () => {
  f = await startApiFixture({ EXTENSION_ROOTS: TEST_JOBS_ROOT });
});
afterAll(async () => {
  await f?.close();
});

const SECRET = "wrong-Secret-Value-8123";
const RESULT = `__typename ... on Error { code message } ... on ValidationError { fieldErrors { field message } }`;

describe("errors returned by the API", () => {
  it("mask the submitted secret value a handler's schema quotes in its field error", async () => {
    const input = { id: "sec.quote", cronExpr: "0 9 * * *", handlerPath: "test_jobs.log-hygiene:QuotingSchemaJob", publicCfg: {}, secretCfg: { token: SECRET } };
    const res = await postGraphql(f.baseUrl, `mutation($i: CreateJobInput!) { createJob(input: $i) { ${RESULT} } }`, { i: input }, bearer(f.tokens.ADMIN));
    const result = res.json.data.createJob;
    expect(result.__typename).toBe("ValidationError");
    expect(result.fieldErrors).toEqual([{ field: "secretCfg.token", message: "token *** must start with tok-" }]);
    expect(res.text.toLowerCase()).not.toContain(SECRET.toLowerCase());
  });
});

import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "../errors.ts";
import { definitionForCreate } from "./job-columns.ts";
import { jobDefinition } from "./job-rules.ts";

const HANDLER = "extensions.example.job:ExampleJob";
const errorsOf = (input: Record<string, unknown>) => {
  const parsed = jobDefinition.safeParse(definitionForCreate({ id: "r.job", cronExpr: "0 9 * * *", handlerPath: HANDLER, publicCfg: {}, ...input }));
  return parsed.success ? [] : fieldErrorsOf(parsed.error.issues);
};

describe("the job rules", () => {
  it("accept an INTERVAL job without startAt: it is anchored when saved", () => {
    expect(errorsOf({ triggerType: "INTERVAL", intervalSeconds: 600, cronExpr: null })).toEqual([]);
    expect(errorsOf({ triggerType: "DATE" }).map((e) => e.field)).toEqual(["startAt"]);
  });

  it("give one message per field, and still check the trigger when another field failed", () => {
    const errors = errorsOf({ id: "", cronExpr: "61 * * * *", timeoutSeconds: -1.5, timezone: "Mars/Olympus" });
    expect(errors.map((e) => e.field).sort()).toEqual(["cronExpr", "id", "timeoutSeconds", "timezone"]);
    expect(errors.find((e) => e.field === "id")!.message).toMatch(/^id is required/);
  });

  it("parse config text into an object and name what cannot be stored", () => {
    const parsed = jobDefinition.parse(definitionForCreate({ id: "r.job", cronExpr: "0 9 * * *", handlerPath: HANDLER, publicCfg: '{"name": "x"}' }));
    expect(parsed.publicCfg).toEqual({ name: "x" });
    expect(errorsOf({ publicCfg: { name: "a\u0000" } })).toEqual([{ field: "publicCfg", code: "NUL_CHARACTER", message: expect.stringMatching(/NUL/) }]);
    expect(errorsOf({ webhookSecret: { password: "x" } })).toEqual([{ field: "webhookSecret.password", code: "UNKNOWN_KEY", params: { allowed: "bearer_token, signing_secret" }, message: expect.stringMatching(/^unknown key/) }]);
  });
});

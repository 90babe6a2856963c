import { describe, expect, it } from "vitest";
import { setLocale } from "../stores/i18n.ts";
import { fieldRule, ruleIssue, ruleProblem } from "./job-rules.ts";

// The rules come from the server's zod schema (job-rules.schema.json, generated); these checks
// read the generated file, so a change of a server limit shows here without editing the web.
describe("the editor's job rules are the server's", () => {
  it("knows which fields are required and their limits", () => {
    expect(fieldRule("id")).toMatchObject({ required: true, minLength: 1, maxLength: 200 });
    expect(fieldRule("handlerPath")?.required).toBe(true);
    expect(fieldRule("description")).toMatchObject({ required: false, maxLength: 2000 });
    expect(fieldRule("timeoutSeconds")).toMatchObject({ required: false, minimum: 1, maximum: 604800 });
    expect(fieldRule("nothing")).toBeUndefined();
  });

  it("answers with the server's codes and messages", () => {
    expect(ruleIssue("id", "bad id")).toMatchObject({ code: "JOB_ID_FORMAT", message: expect.stringMatching(/^id may contain only letters, digits/) });
    expect(ruleIssue("id", "x".repeat(201))).toMatchObject({ code: "TOO_LONG", params: { max: 200 }, message: "id is longer than 200 characters" });
    expect(ruleIssue("id", "")).toMatchObject({ code: "REQUIRED", message: expect.stringMatching(/^id is required/) });
    expect(ruleIssue("id", "oa.sync_members")).toBeNull();
    expect(ruleIssue("timeoutSeconds", 0)).toMatchObject({ code: "TOO_SMALL", params: { min: 1 }, message: "timeoutSeconds must be a whole number of seconds from 1 to 604800" });
    expect(ruleIssue("timeoutSeconds", 1.5)).toMatchObject({ code: "NOT_WHOLE_NUMBER" });
    expect(ruleIssue("keepLastRuns", 0)).toMatchObject({ code: "TOO_SMALL", message: expect.stringMatching(/at least 1/) });
    expect(ruleIssue("misfireGraceSeconds", 0)).toBeNull();
    expect(ruleIssue("description", null)).toBeNull();
  });

  it("words them in the chosen language", () => {
    setLocale("zh-CN");
    expect(ruleProblem("id", "bad id")).toMatch(/^任务 ID 只能包含字母、数字/);
    expect(ruleProblem("timeoutSeconds", 0)).toBe("不能小于 1");
    expect(ruleProblem("id", "oa.sync_members")).toBeNull();
    setLocale("en");
    expect(ruleProblem("id", "x".repeat(201))).toBe("At most 200 characters");
  });
});

import { describe, expect, it } from "vitest";
import { fieldRule, ruleProblem } from "./job-rules.ts";

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

  it("answers with the server's messages", () => {
    expect(ruleProblem("id", "bad id")).toMatch(/^id may contain only letters, digits/);
    expect(ruleProblem("id", "x".repeat(201))).toBe("id is longer than 200 characters");
    expect(ruleProblem("id", "")).toMatch(/^id is required/);
    expect(ruleProblem("id", "oa.sync_members")).toBeNull();
    expect(ruleProblem("timeoutSeconds", 0)).toBe("timeoutSeconds must be a whole number of seconds from 1 to 604800");
    expect(ruleProblem("keepLastRuns", 0)).toMatch(/at least 1/);
    expect(ruleProblem("misfireGraceSeconds", 0)).toBeNull();
    expect(ruleProblem("description", null)).toBeNull();
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JOB_RULES_JSON_PATH, printedJobRules } from "./job-rules-json.ts";

describe("web/src/lib/job-rules.schema.json", () => {
  it("is the job rules as they are (run `npm run schema:print` after changing them)", () => {
    expect(readFileSync(JOB_RULES_JSON_PATH, "utf8")).toBe(printedJobRules());
  });
});

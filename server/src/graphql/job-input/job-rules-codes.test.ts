import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "../errors.ts";
import { definitionForCreate } from "./job-columns.ts";
import { handlerProblems, jobDefinition, MAX_DESCRIPTION, MAX_ID, MAX_SECONDS } from "./job-rules.ts";
import { configureExtensionRoots, parseExtensionRoots } from "../../plugins/index.ts";
import { fileURLToPath } from "node:url";

// Every field error of the job rules carries a stable code and its parameters: the admin words
// it from its catalogue (`field.<code>`), the English message staying the fallback.
const HANDLER = "extensions.example.job:ExampleJob";
const codeOf = (input: Record<string, unknown>, field: string) => {
  const parsed = jobDefinition.safeParse(definitionForCreate({ id: "r.job", cronExpr: "0 9 * * *", handlerPath: HANDLER, publicCfg: {}, ...input }));
  const errors = parsed.success ? [] : fieldErrorsOf(parsed.error.issues);
  const found = errors.find((e) => e.field === field);
  expect(found, `an error on ${field}`).toBeDefined();
  expect(found!.message.length).toBeGreaterThan(0);
  return { code: found!.code, params: found!.params };
};

describe("the job rules' error codes", () => {
  it("name the id's problems", () => {
    expect(codeOf({ id: "" }, "id")).toEqual({ code: "REQUIRED" });
    expect(codeOf({ id: "   " }, "id")).toEqual({ code: "REQUIRED" });
    expect(codeOf({ id: "x".repeat(MAX_ID + 1) }, "id")).toEqual({ code: "TOO_LONG", params: { max: MAX_ID } });
    expect(codeOf({ id: "bad id" }, "id")).toEqual({ code: "JOB_ID_FORMAT" });
    expect(codeOf({ id: "a\u0000" }, "id")).toEqual({ code: "NUL_CHARACTER" });
    expect(codeOf({ description: "x".repeat(MAX_DESCRIPTION + 1) }, "description")).toEqual({ code: "TOO_LONG", params: { max: MAX_DESCRIPTION } });
  });

  it("name number problems with their bounds", () => {
    expect(codeOf({ timeoutSeconds: 0 }, "timeoutSeconds")).toEqual({ code: "TOO_SMALL", params: { min: 1 } });
    expect(codeOf({ timeoutSeconds: MAX_SECONDS + 1 }, "timeoutSeconds")).toEqual({ code: "TOO_BIG", params: { max: MAX_SECONDS } });
    expect(codeOf({ misfireGraceSeconds: 1.5 }, "misfireGraceSeconds")).toEqual({ code: "NOT_WHOLE_NUMBER" });
    expect(codeOf({ keepLastRuns: 0 }, "keepLastRuns")).toEqual({ code: "TOO_SMALL", params: { min: 1 } });
    expect(codeOf({ enabled: "yes" }, "enabled")).toEqual({ code: "WRONG_TYPE", params: { expected: "boolean" } });
    expect(codeOf({ webhookFormat: "SMOKE" }, "webhookFormat")).toEqual({ code: "NOT_ONE_OF", params: { values: "JSON, DINGTALK, WECOM, FEISHU" } });
  });

  it("name the trigger's problems", () => {
    expect(codeOf({ cronExpr: "61 * * * *" }, "cronExpr")).toEqual({
      code: "CRON_INVALID",
      params: { expr: "61 * * * *", detail: 'minute must be 0-59 (got "61")', detailCode: "CRON_OUT_OF_RANGE", cronField: "minute", value: "61" },
    });
    expect(codeOf({ cronExpr: "" }, "cronExpr")).toEqual({ code: "REQUIRED_FOR_TRIGGER", params: { triggerType: "CRON" } });
    expect(codeOf({ triggerType: "DATE", cronExpr: null }, "startAt")).toEqual({ code: "REQUIRED_FOR_TRIGGER", params: { triggerType: "DATE" } });
    expect(codeOf({ triggerType: "INTERVAL", cronExpr: null, intervalSeconds: 0 }, "intervalSeconds")).toEqual({ code: "INTERVAL_RANGE", params: { min: 1, max: expect.any(Number) } });
    expect(codeOf({ timezone: "Mars/Olympus" }, "timezone")).toEqual({ code: "TIMEZONE_UNKNOWN", params: { zone: "Mars/Olympus" } });
  });

  it("name the handler, config and webhook problems", () => {
    expect(codeOf({ handlerPath: "" }, "handlerPath")).toEqual({ code: "REQUIRED" });
    expect(codeOf({ handlerPath: "extensions.example.nothing_here:Job" }, "handlerPath")).toEqual({ code: "HANDLER_NOT_FOUND", params: { handlerPath: "extensions.example.nothing_here:Job" } });
    expect(codeOf({ handlerPath: "nowhere.job:Job" }, "handlerPath")).toEqual({ code: "HANDLER_ROOT_UNKNOWN", params: { handlerPath: "nowhere.job:Job" } });
    expect(codeOf({ handlerPath: "extensions.a:b:c" }, "handlerPath")).toEqual({ code: "HANDLER_PATH_INVALID", params: { handlerPath: "extensions.a:b:c" } });
    expect(codeOf({ publicCfg: null }, "publicCfg")).toEqual({ code: "REQUIRED" });
    expect(codeOf({ publicCfg: "  " }, "publicCfg")).toEqual({ code: "JSON_EMPTY" });
    expect(codeOf({ publicCfg: "{nope" }, "publicCfg")).toEqual({ code: "JSON_INVALID" });
    expect(codeOf({ publicCfg: [1] }, "publicCfg")).toEqual({ code: "NOT_AN_OBJECT" });
    expect(codeOf({ secretCfg: "[]" }, "secretCfg")).toEqual({ code: "NOT_AN_OBJECT" });
    const deep = JSON.parse(`${"[".repeat(40)}${"]".repeat(40)}`);
    expect(codeOf({ publicCfg: { deep } }, "publicCfg")).toEqual({ code: "TOO_DEEP", params: { max: 32 } });
    expect(codeOf({ webhookUrl: "ftp://x" }, "webhookUrl")).toEqual({ code: "NOT_HTTP_URL" });
    expect(codeOf({ webhookSecret: { bearer_token: "" } }, "webhookSecret.bearer_token")).toEqual({ code: "NON_EMPTY_TEXT" });
  });

  it("name the problems a handler's own config schemas find, as the API's rules would", async () => {
    configureExtensionRoots(parseExtensionRoots(fileURLToPath(new URL("../../../test/fixtures/test_jobs", import.meta.url))));
    // StrictParamsJob: params { name: string min 1, count: int > 0 }, secrets { token: string min 8 }.
    const problems = await handlerProblems({
      handlerPath: "test_jobs.behaviours:StrictParamsJob",
      publicCfg: { name: "", count: 1.5, extra: true },
      secretCfg: { token: "short" },
    });
    const byField = Object.fromEntries(problems.map((p) => [p.field, { code: p.code, params: p.params }]));
    expect(byField).toEqual({
      "publicCfg.name": { code: "REQUIRED", params: undefined },
      "publicCfg.count": { code: "WRONG_TYPE", params: { expected: "int" } },
      "secretCfg.token": { code: "TOO_SHORT", params: { min: 8 } },
    });
    // The English text stays, for clients without a catalogue; the secret value never appears.
    expect(problems.every((p) => p.message.length > 0 && !p.message.includes("short"))).toBe(true);
    const missing = await handlerProblems({ handlerPath: "test_jobs.behaviours:StrictParamsJob", publicCfg: {}, secretCfg: null });
    expect(missing.map((p) => [p.field, p.code])).toEqual([
      ["publicCfg.name", "REQUIRED"],
      ["publicCfg.count", "REQUIRED"],
      ["secretCfg.token", "REQUIRED"],
    ]);
    const noExport = await handlerProblems({ handlerPath: "test_jobs.behaviours:NoSuchJob", publicCfg: {} });
    expect(noExport).toEqual([expect.objectContaining({ field: "handlerPath", code: "HANDLER_EXPORT_MISSING", params: expect.objectContaining({ handlerPath: "test_jobs.behaviours:NoSuchJob", className: "NoSuchJob" }) })]);
  });

  it("keep the English messages", () => {
    const parsed = jobDefinition.safeParse(definitionForCreate({ id: "bad id", cronExpr: "0 9 * * *", handlerPath: HANDLER, publicCfg: {} }));
    expect(fieldErrorsOf(parsed.error!.issues)[0]!.message).toMatch(/^id may contain only letters, digits/);
  });
});

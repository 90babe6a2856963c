import { describe, expect, it } from "vitest";
import { setLocale } from "../stores/i18n.ts";
import { codedErrorText, fieldErrorText, runMessageText, triggerProblemText } from "./coded-text.ts";

describe("coded server text", () => {
  it("renders a run's outcome in the chosen language and keeps the warnings' own words", () => {
    const message = "Run succeeded.\n\nWarnings and errors logged (1):\n- WARN disk almost full";
    const run = { message, messageCode: "RUN_SUCCEEDED", messageParams: { summaryAt: "Run succeeded.".length } };
    setLocale("zh-CN");
    expect(runMessageText(run)).toBe("运行成功。\n\n记录的警告和错误(1 条):\n- WARN disk almost full");
    setLocale("en");
    expect(runMessageText(run)).toBe(message);
  });

  it("words nested codes (withdraw reasons, the cause of a stuck handler) and falls back to the server text", () => {
    setLocale("zh-CN");
    expect(runMessageText({ message: "x", messageCode: "RUN_WITHDRAWN", messageParams: { reason: "JOB_DISABLED" } })).toBe("开始前已撤回:任务已被停用。");
    expect(runMessageText({ message: "x", messageCode: "RUN_HANDLER_STUCK", messageParams: { cause: "RUN_TIMED_OUT", seconds: 1, graceSeconds: 5 } })).toMatch(/^运行超过了 1 秒.*5 秒内没有停止/);
    expect(runMessageText({ message: "from the server", messageCode: "SOMETHING_NEW", messageParams: {} })).toBe("from the server");
    expect(runMessageText({ message: "legacy run", messageCode: null })).toBe("legacy run");
    // The engine's refusals: the outer words translated, the schema's field problems as the server wrote them.
    const invalid = { message: "ConfigInvalidError: Job \"a\": …", messageCode: "RUN_CONFIG_INVALID", messageParams: { jobId: "a", problems: "publicCfg.name: Required" } };
    expect(runMessageText(invalid)).toBe('任务 "a" 的配置与处理器的参数模式不符:publicCfg.name: Required。请修正任务配置后重新运行。');
    setLocale("en");
    expect(runMessageText(invalid)).toBe("Job \"a\": its config does not match the handler's schema: publicCfg.name: Required. Fix the job's config and run it again.");
    setLocale("zh-CN");
  });

  it("words errors and field problems by code, with the server's words as fallback", () => {
    setLocale("zh-CN");
    expect(codedErrorText("NOT_FOUND", "Job \"a\" does not exist.", { what: "Job", id: "a" })).toBe('任务 "a" 不存在。');
    expect(codedErrorText("UNKNOWN_CODE", "server words")).toBe("server words");
    expect(fieldErrorText({ message: "at most 100 characters", code: "TOO_LONG", params: { max: 100 } })).toBe("最多 100 个字符");
    expect(fieldErrorText({ message: "server words", code: null })).toBe("server words");
  });

  it("words the job rules' field problems and trigger preview problems", () => {
    setLocale("zh-CN");
    expect(fieldErrorText({ message: 'timezone "Mars/Olympus" is not a known IANA time zone; …', code: "TIMEZONE_UNKNOWN", params: { zone: "Mars/Olympus" } })).toMatch(/^"Mars\/Olympus" 不是已知的 IANA 时区/);
    expect(fieldErrorText({ message: "id may contain only …", code: "JOB_ID_FORMAT" })).toMatch(/^任务 ID 只能包含字母、数字/);
    expect(fieldErrorText({ message: "x", code: "REQUIRED_FOR_TRIGGER", params: { triggerType: "DATE" } })).toBe("触发类型为 DATE 时必填");
    // A server without detail codes: its own words for the detail.
    expect(triggerProblemText({ message: "cronExpr …", params: { reason: "CRON_INVALID", expr: "61 * * * *", detail: "minute 61 is out of range" } })).toBe('Cron 表达式 "61 * * * *" 无效:minute 61 is out of range');
    expect(triggerProblemText({ message: "old server words", params: {} })).toBe("old server words");
    setLocale("en");
    expect(fieldErrorText({ message: "x", code: "NOT_HTTP_URL" })).toBe("Must be an http:// or https:// URL, or empty for none");
  });

  // The parameters compileCron gives (server/src/triggers/cron-expression.test.ts asserts them).
  const cron = (expr: string, detailCode: string, more: Record<string, string | number>) => ({
    message: `cronExpr "${expr}": server words`,
    code: "CRON_INVALID",
    params: { expr, detail: "server words", detailCode, ...more },
  });

  it("words a cron expression's problem from its detail code, the field named in the chosen language", () => {
    setLocale("zh-CN");
    expect(fieldErrorText(cron("61 * * * *", "CRON_OUT_OF_RANGE", { cronField: "minute", value: "61" }))).toBe('Cron 表达式 "61 * * * *" 无效:分钟必须是 0-59(当前为 "61")');
    expect(fieldErrorText(cron("0 0/30 * * *", "CRON_STEP_RANGE", { cronField: "hour", value: "0/30", maxStep: 23 }))).toBe('Cron 表达式 "0 0/30 * * *" 无效:小时的步长必须是 1-23(当前为 "0/30")');
    expect(fieldErrorText(cron("* * * *", "CRON_FIELD_COUNT", { count: 4 }))).toBe('Cron 表达式 "* * * *" 无效:应为 5 个字段(分 时 日 月 周),或以秒开头的 6 个字段;实际为 4 个');
    expect(triggerProblemText({ message: "x", params: { reason: "CRON_INVALID", expr: "0 0 30 2 *", detail: "y", detailCode: "CRON_DAY_NEVER", dayOfMonth: "30", month: "2" } })).toBe(
      'Cron 表达式 "0 0 30 2 *" 无效:日 "30" 在月份 "2" 中从不出现,任务永远不会运行',
    );
    // A detail code this admin does not know yet: the server's words for the detail, the frame still in Chinese.
    expect(fieldErrorText(cron("x", "CRON_SOMETHING_NEW", {}))).toBe('Cron 表达式 "x" 无效:server words');
    setLocale("en");
    expect(fieldErrorText(cron("0 0 * * 1#6", "CRON_NTH_INVALID", { cronField: "dayOfWeek", value: "1#6" }))).toBe(
      'Cron expression "0 0 * * 1#6" is not valid: day of week "#" must be followed by 1-5, the occurrence in the month (got "1#6")',
    );
  });

  it("has words for every cron detail code and field the server gives", () => {
    const codes = ["CRON_OUT_OF_RANGE", "CRON_DUPLICATE", "CRON_STEP_RANGE", "CRON_RANGE_BACKWARDS", "CRON_NTH_INVALID", "CRON_FIELD_INVALID", "CRON_HASH_UNSUPPORTED", "CRON_FIELD_COUNT", "CRON_SHORTCUT_UNKNOWN", "CRON_DAY_NEVER", "CRON_PARSE_FAILED"];
    const fields = ["second", "minute", "hour", "dayOfMonth", "month", "dayOfWeek"];
    for (const locale of ["zh-CN", "en"] as const) {
      setLocale(locale);
      for (const code of codes) expect(fieldErrorText(cron("e", code, { cronField: "minute", value: "v" })), `${locale} ${code}`).not.toContain("server words");
      for (const field of fields) expect(fieldErrorText(cron("e", "CRON_OUT_OF_RANGE", { cronField: field, value: "v" })), `${locale} ${field}`).not.toContain("{");
    }
  });

  it("words a handler's config schema problems (zod issues by code) and its module problems", () => {
    setLocale("zh-CN");
    expect(fieldErrorText({ message: "Too small: expected string to have >=8 characters", code: "TOO_SHORT", params: { min: 8 } })).toBe("至少 8 个字符");
    expect(fieldErrorText({ message: "Invalid input: expected int, received number", code: "WRONG_TYPE", params: { expected: "int" } })).toBe("类型不对,应为 整数");
    expect(fieldErrorText({ message: "Invalid input: expected string, received undefined", code: "REQUIRED" })).toBe("必填");
    expect(fieldErrorText({ message: "x", code: "WRONG_TYPE", params: { expected: "bigint" } })).toBe("类型不对,应为 bigint");
    expect(fieldErrorText({ message: "x", code: "HANDLER_EXPORT_MISSING", params: { handlerPath: "extensions.a.job:B", className: "B" } })).toBe('"extensions.a.job:B" 的模块没有名为 "B" 的导出');
    setLocale("en");
    expect(fieldErrorText({ message: "x", code: "WRONG_TYPE", params: { expected: "int" } })).toBe("Must be a whole number");
  });
});

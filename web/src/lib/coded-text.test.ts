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
    expect(triggerProblemText({ message: "cronExpr …", params: { reason: "CRON_INVALID", expr: "61 * * * *", detail: "minute 61 is out of range" } })).toBe('Cron 表达式 "61 * * * *" 无效:minute 61 is out of range');
    expect(triggerProblemText({ message: "old server words", params: {} })).toBe("old server words");
    setLocale("en");
    expect(fieldErrorText({ message: "x", code: "NOT_HTTP_URL" })).toBe("Must be an http:// or https:// URL, or empty for none");
  });
});

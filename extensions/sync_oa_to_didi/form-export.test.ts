import { describe, expect, it } from "vitest";
import { DEFAULT_SEEYON_FORM, cap4ExportPayload } from "../../server/test/stand-ins/seeyon-form.ts";
import { FormExportFormatError, FormExportRefusedError, FormFieldMissingError, fieldByDisplay, parseCap4Export } from "./form-export.ts";

describe("parseCap4Export", () => {
  it("reads the field definition and the rows, using showValue for select fields", () => {
    const form = parseCap4Export(JSON.stringify(cap4ExportPayload(DEFAULT_SEEYON_FORM)), "T");
    expect(form.fields.map((f) => f.display)).toEqual(["工号", "姓名", "部门", "所属公司", "入职日期"]);
    expect(form.rows).toHaveLength(3);
    expect(form.rows[0]).toMatchObject({ field0001: "E1001", field0004: "上海联科信息技术有限公司" });
  });

  it("finds rows nested one level down and definitions under other names", () => {
    const raw = JSON.stringify({
      code: "0",
      data: {
        formDefinition: { fieldInfo: [{ name: "field0001", displayName: "工号" }, { name: "field0002", displayName: "所属公司" }] },
        records: [{ id: "1", masterData: { field0001: " E9 ", field0002: { value: "-1", showValue: "甲公司" } } }],
      },
    });
    const form = parseCap4Export(raw, "T");
    expect(form.rows).toEqual([{ field0001: "E9", field0002: "甲公司" }]);
  });

  it("gives no rows for an export with a definition and no data", () => {
    const raw = JSON.stringify({ code: 0, data: { definition: { fields: [{ name: "field0001", display: "工号" }] }, data: [] } });
    expect(parseCap4Export(raw, "T").rows).toEqual([]);
  });

  it("throws FormExportRefusedError with Seeyon's message when the answer carries a non-zero code", () => {
    const raw = JSON.stringify({ code: 1, message: "表单模板不存在: X", data: null });
    expect(() => parseCap4Export(raw, "X")).toThrow(FormExportRefusedError);
    expect(() => parseCap4Export(raw, "X")).toThrow(/表单模板不存在/);
  });

  it("throws FormExportFormatError for a body that is not JSON or has no definition", () => {
    expect(() => parseCap4Export("<html>login</html>", "T")).toThrow(FormExportFormatError);
    expect(() => parseCap4Export(JSON.stringify({ code: 0, data: { rows: [] } }), "T")).toThrow(FormExportFormatError);
  });
});

describe("fieldByDisplay", () => {
  it("names the fields that do exist when the wanted one is missing", () => {
    const form = { fields: [{ name: "field0001", display: "工号" }], rows: [] };
    expect(fieldByDisplay(form, "工号", "T").name).toBe("field0001");
    expect(() => fieldByDisplay(form, "所属公司", "T")).toThrow(FormFieldMissingError);
    expect(() => fieldByDisplay(form, "所属公司", "T")).toThrow(/工号\(field0001\)/);
  });
});

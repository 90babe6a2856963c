// A CAP4 form as the Seeyon stand-in exports it: a definition listing each field's column
// name (field0001…) and display name, and the data rows keyed by column name. Organisation
// fields carry `{ value, showValue }` (an id and the name a person reads), as Seeyon's select
// fields do; plain fields carry strings.

export interface SeeyonFormField {
  name: string;
  display: string;
  fieldType: string;
  length?: number;
  inputType?: string;
}

export type SeeyonFieldValue = string | { value: string; showValue: string };

export interface SeeyonForm {
  templateCode: string;
  formName: string;
  tableName: string;
  fields: SeeyonFormField[];
  rows: Record<string, SeeyonFieldValue>[];
}

export const COMPANY_SH = "上海联科信息技术有限公司";
export const COMPANY_BJ = "北京联科数据服务有限公司";

export const DEFAULT_SEEYON_FORM: SeeyonForm = {
  templateCode: "HR_EMP_ENTITY",
  formName: "员工所属公司登记表",
  tableName: "formmain_0412",
  fields: [
    { name: "field0001", display: "工号", fieldType: "VARCHAR", length: 32, inputType: "text" },
    { name: "field0002", display: "姓名", fieldType: "VARCHAR", length: 64, inputType: "text" },
    { name: "field0003", display: "部门", fieldType: "VARCHAR", length: 255, inputType: "department" },
    { name: "field0004", display: "所属公司", fieldType: "VARCHAR", length: 255, inputType: "account" },
    { name: "field0005", display: "入职日期", fieldType: "DATE", inputType: "date" },
  ],
  rows: [
    {
      field0001: "E1001",
      field0002: "张伟",
      field0003: { value: "-4411852038237206123", showValue: "研发中心" },
      field0004: { value: "-8817345501123432001", showValue: COMPANY_SH },
      field0005: "2021-03-01",
    },
    {
      field0001: "E1002",
      field0002: "李娜",
      field0003: { value: "-4411852038237206124", showValue: "财务部" },
      field0004: { value: "-8817345501123432002", showValue: COMPANY_BJ },
      field0005: "2019-07-15",
    },
    {
      field0001: "E1003",
      field0002: "王强",
      field0003: { value: "-4411852038237206123", showValue: "研发中心" },
      field0004: { value: "-8817345501123432001", showValue: COMPANY_SH },
      field0005: "2022-11-20",
    },
  ],
};

/** The export response body: `{ code, message, data: { definition, data } }`. */
export function cap4ExportPayload(form: SeeyonForm): unknown {
  return {
    code: 0,
    message: "",
    data: {
      definition: {
        templateCode: form.templateCode,
        formName: form.formName,
        tableName: form.tableName,
        fields: form.fields,
      },
      data: form.rows.map((row, index) => ({
        id: `-70658473959348710${String(index).padStart(2, "0")}`,
        state: 1,
        ...row,
      })),
    },
  };
}

// Reading a Seeyon CAP4 form export. Seeyon versions and form designs nest the export
// differently, so the parser looks for shapes rather than fixed paths: the field definition is
// the first list of `{ name, display }` objects, the data rows the first list of objects keyed
// by those field names (directly, or one level down, e.g. under `masterData`). Select fields
// (`{ value, showValue }`) are read by what a person sees: `showValue`.

export interface FormField {
  /** Column name, e.g. field0001. */
  name: string;
  /** Display name, e.g. 工号. */
  display: string;
}

export interface ParsedForm {
  fields: FormField[];
  /** Each row's cells as text, keyed by field name. */
  rows: Record<string, string>[];
}

const DISPLAY_KEYS = ["display", "displayName", "label"] as const;
const MAX_DEPTH = 8;

export class FormExportFormatError extends Error {
  override readonly name = "FormExportFormatError";
  readonly code = "FORM_EXPORT_FORMAT";
}

/** Seeyon answered the export but refused it (e.g. unknown template code, no permission). */
export class FormExportRefusedError extends Error {
  override readonly name = "FormExportRefusedError";
  readonly code = "FORM_EXPORT_REFUSED";
}

export class FormFieldMissingError extends Error {
  override readonly name = "FormFieldMissingError";
  readonly code = "FORM_FIELD_MISSING";
}

export function parseCap4Export(raw: string, templateCode: string): ParsedForm {
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    throw new FormExportFormatError(
      `The export of form ${templateCode} is not JSON (starts with ${JSON.stringify(raw.slice(0, 80))}). ` +
        "Check oa_base_url and that the Seeyon version supports the CAP4 REST export.",
    );
  }
  const refusal = refusalOf(payload);
  if (refusal) {
    throw new FormExportRefusedError(
      `Seeyon refused the export of form ${templateCode}: ${refusal}. Check oa_templateCode and the REST account's form permissions.`,
    );
  }
  const fields = findFields(payload, 0);
  if (!fields) {
    throw new FormExportFormatError(
      `The export of form ${templateCode} has no field definition (no list of fields with display names).`,
    );
  }
  const names = new Set(fields.map((f) => f.name));
  const rows = (findRows(payload, names, 0) ?? []).map((row) => rowCells(row, names));
  return { fields, rows };
}

/** The field whose display name is `display`, or a FormFieldMissingError listing what exists. */
export function fieldByDisplay(form: ParsedForm, display: string, templateCode: string): FormField {
  const field = form.fields.find((f) => f.display.trim() === display);
  if (field) return field;
  const known = form.fields.map((f) => `${f.display}(${f.name})`).join(", ");
  throw new FormFieldMissingError(
    `Form ${templateCode} has no field displayed as "${display}". Fields found: ${known || "none"}. ` +
      "Check oa_templateCode, or rename the field in the form designer.",
  );
}

function refusalOf(payload: unknown): string | null {
  if (!isRecord(payload)) return null;
  const code = payload.code;
  const failed = (code !== undefined && code !== null && String(code) !== "0") || payload.success === false;
  if (!failed) return null;
  const message = payload.message ?? payload.msg ?? "(no message)";
  return `code ${String(code ?? "?")}, ${String(message)}`;
}

function findFields(node: unknown, depth: number): FormField[] | null {
  if (depth > MAX_DEPTH) return null;
  if (Array.isArray(node)) {
    const fields = node.map(asField);
    if (fields.length > 0 && fields.every((f) => f !== null)) return fields as FormField[];
    for (const item of node) {
      const found = findFields(item, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (!isRecord(node)) return null;
  // Prefer a `definition` branch when there is one: rows never live there.
  const keys = Object.keys(node).sort((a, b) => Number(b === "definition") - Number(a === "definition"));
  for (const key of keys) {
    const found = findFields(node[key], depth + 1);
    if (found) return found;
  }
  return null;
}

function asField(item: unknown): FormField | null {
  if (!isRecord(item) || typeof item.name !== "string") return null;
  for (const key of DISPLAY_KEYS) {
    const display = item[key];
    if (typeof display === "string") return { name: item.name, display };
  }
  return null;
}

function findRows(node: unknown, names: Set<string>, depth: number): Record<string, unknown>[] | null {
  if (depth > MAX_DEPTH) return null;
  if (Array.isArray(node)) {
    if (node.some((item) => isRecord(item) && asField(item) === null && hasFieldKey(item, names))) {
      return node.filter(isRecord);
    }
    for (const item of node) {
      const found = findRows(item, names, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (!isRecord(node)) return null;
  for (const value of Object.values(node)) {
    const found = findRows(value, names, depth + 1);
    if (found) return found;
  }
  return null;
}

function hasFieldKey(row: Record<string, unknown>, names: Set<string>): boolean {
  return Object.keys(row).some((k) => names.has(k)) || Object.values(row).some((v) => isRecord(v) && Object.keys(v).some((k) => names.has(k)));
}

function rowCells(row: Record<string, unknown>, names: Set<string>): Record<string, string> {
  const cells: Record<string, string> = {};
  const take = (source: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(source)) {
      if (names.has(key) && !(key in cells)) cells[key] = cellText(value);
    }
  };
  take(row);
  for (const value of Object.values(row)) if (isRecord(value) && !isSelectValue(value)) take(value);
  return cells;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (isRecord(value)) {
    const shown = value.showValue ?? value.display ?? value.value;
    return shown === null || shown === undefined ? "" : String(shown).trim();
  }
  return String(value).trim();
}

function isSelectValue(value: Record<string, unknown>): boolean {
  return "showValue" in value || ("value" in value && Object.keys(value).length <= 3);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

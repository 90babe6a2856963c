import { describe, expect, it } from "vitest";
import { fieldText, localizedText, parseFieldText, schemaFields, withField } from "./config-schema.ts";

const schema = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1, description: "Who to greet", "x-descriptions": { "zh-CN": "问候的对象" } },
    count: { type: "integer", default: 3 },
    mode: { type: "string", enum: ["fast", "safe"] },
    dry: { type: "boolean" },
    extra: { type: "object", additionalProperties: {} },
  },
  required: ["name"],
};

describe("config schema fields", () => {
  it("lists the properties with their kind, required flag, descriptions, default and options", () => {
    const fields = schemaFields(schema);
    expect(fields.map((f) => [f.key, f.kind, f.required])).toEqual([
      ["name", "string", true],
      ["count", "integer", false],
      ["mode", "enum", false],
      ["dry", "boolean", false],
      ["extra", "json", false],
    ]);
    expect(fields[1]!.default).toBe(3);
    expect(fields[2]!.options).toEqual(["fast", "safe"]);
    expect(localizedText(fields[0]!.description, fields[0]!.descriptions, "zh-CN")).toBe("问候的对象");
    expect(localizedText(fields[0]!.description, fields[0]!.descriptions, "en")).toBe("Who to greet");
  });

  it("turns typed text into values and back; empty removes the key, bad JSON is not applied", () => {
    const [name, count, mode, dry, extra] = schemaFields(schema);
    expect(parseFieldText(count!, "12")).toEqual({ value: 12 });
    expect(parseFieldText(count!, "12x")).toEqual({ value: "12x" });
    expect(parseFieldText(name!, "")).toEqual({ value: undefined });
    expect(parseFieldText(mode!, '"safe"')).toEqual({ value: "safe" });
    expect(parseFieldText(dry!, "false")).toEqual({ value: false });
    expect(parseFieldText(extra!, "{bad")).toBe("invalid");
    expect(fieldText(extra!, { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(fieldText(count!, 7)).toBe("7");
    expect(withField({ a: 1, b: 2 }, "a", undefined)).toEqual({ b: 2 });
    expect(Object.keys(withField({ a: 1, b: 2 }, "a", 5))).toEqual(["a", "b"]);
  });

  it("has no fields for a schema that is not an object schema", () => {
    expect(schemaFields(null)).toEqual([]);
    expect(schemaFields({ type: "string" })).toEqual([]);
  });
});

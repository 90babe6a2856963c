import { beforeEach, describe, expect, it } from "vitest";
import { setLocale } from "../stores/i18n.ts";
import { checkAgainstSchema, parseConfigObject } from "./json-config.ts";

const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: { name: { type: "string", minLength: 1 }, n: { type: "integer" }, mode: { type: "string", enum: ["a", "b"] } },
  required: ["name"],
  additionalProperties: false,
};

describe("config JSON checks", () => {
  beforeEach(() => setLocale("en"));

  it("accepts a config that matches the handler's schema", () => {
    expect(checkAgainstSchema(schema, { name: "Ada" })).toEqual([]);
  });

  it("names the field and the problem for each mismatch", () => {
    const problems = checkAgainstSchema(schema, { n: "x", mode: "c", extra: 1 });
    expect(problems).toEqual([
      { path: "/name", message: 'Required field "name" is missing' },
      { path: "/n", message: "Must be of type integer" },
      { path: "/mode", message: 'Must be one of ["a","b"]' },
      { path: "/extra", message: 'Unknown field "extra"' },
    ]);
  });

  it("says when the text is not a JSON object", () => {
    expect(parseConfigObject("[1]")).toMatchObject({ ok: false, problem: { message: "Must be a JSON object like {\"key\": \"value\"}" } });
    expect(parseConfigObject("{bad")).toMatchObject({ ok: false });
    expect(parseConfigObject("  ")).toEqual({ ok: true, value: {} });
  });
});

import { Kind, type ValueNode } from "graphql";
import { builder } from "../builder.ts";
import { badInput } from "../errors.ts";

function parseDate(value: unknown): Date {
  const date = typeof value === "string" ? new Date(value) : null;
  // An ISO instant without zone would be read in the server's zone: refuse it, as the original's naive times lost runs.
  if (!date || Number.isNaN(date.getTime()) || !/(Z|[+-]\d\d:?\d\d)$/i.test(value as string)) {
    throw badInput(`DateTime must be an ISO-8601 instant with a zone or offset, e.g. "2025-01-31T09:00:00+08:00"; got ${JSON.stringify(value)}`);
  }
  return date;
}

builder.scalarType("DateTime", {
  description: "An instant, as an ISO-8601 string with offset (always UTC `Z` in output).",
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});

function literalValue(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalValue(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalValue(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
  }
}

builder.scalarType("JSON", {
  description: "Any JSON value.",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalValue(ast, variables),
});

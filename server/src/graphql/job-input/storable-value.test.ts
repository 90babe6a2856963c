import { describe, expect, it } from "vitest";
import { maxNesting } from "../limits/nesting-before-parse.ts";
import { storableValueProblem } from "./storable-value.ts";

describe("values PostgreSQL cannot store are named before they reach it", () => {
  it("accepts ordinary JSON and refuses NUL in values or keys", () => {
    expect(storableValueProblem({ a: [1, "two", { b: null }] })).toBeNull();
    expect(storableValueProblem({ a: "x\u0000y" })).toMatch(/NUL/);
    expect(storableValueProblem({ ["k\u0000"]: 1 })).toMatch(/key .*NUL/);
    expect(storableValueProblem("plain \u0000 text")).toMatch(/NUL/);
  });

  it("measures 100,000-deep JSON without recursion and refuses more than 32 levels", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(storableValueProblem(deep)).toMatch(/more than 32 levels/);
    let ok: unknown = 1;
    for (let i = 0; i < 31; i++) ok = { n: ok };
    expect(storableValueProblem(ok)).toBeNull();
  });
});

describe("bracket nesting is measured before parsing", () => {
  it("counts brackets outside strings, block strings and comments", () => {
    expect(maxNesting("{ a { b(x: [[1]]) } }")).toBe(5);
    expect(maxNesting('{ a(s: "[[[[[[") }')).toBe(2);
    expect(maxNesting('{ a(s: """ {{{{ \\""" """) }')).toBe(2);
    expect(maxNesting("# [[[[[[\n{ a }")).toBe(1);
    expect(maxNesting("[".repeat(20_000))).toBe(20_000);
  });
});

import { CombinedError } from "@urql/core";
import { describe, expect, it } from "vitest";
import { isUnauthenticated } from "./client.ts";

describe("isUnauthenticated", () => {
  it("recognises a missing or expired session", () => {
    expect(isUnauthenticated(new CombinedError({ response: { status: 401 } }))).toBe(true);
    expect(isUnauthenticated(new CombinedError({ graphQLErrors: [{ message: "x", extensions: { code: "UNAUTHENTICATED" } }] }))).toBe(true);
    expect(isUnauthenticated(new CombinedError({ graphQLErrors: [{ message: "x", extensions: { code: "CSRF_TOKEN_INVALID" } }] }))).toBe(true);
  });

  it("leaves other failures to the screen that made the request", () => {
    expect(isUnauthenticated(new CombinedError({ graphQLErrors: [{ message: "x", extensions: { code: "FORBIDDEN" } }] }))).toBe(false);
    expect(isUnauthenticated(new CombinedError({ networkError: new Error("offline") }))).toBe(false);
  });
});

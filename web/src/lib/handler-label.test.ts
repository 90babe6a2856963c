import { describe, expect, it } from "vitest";
import { handlerLabel } from "./handler-label.ts";

describe("handler dropdown labels", () => {
  it("put the description's first line before the path", () => {
    expect(handlerLabel({ handlerPath: "extensions.a.job:A", description: "Syncs members.\nMore detail." })).toBe("Syncs members. — extensions.a.job:A");
  });
  it("show the path alone without a description, and shorten a long one", () => {
    expect(handlerLabel({ handlerPath: "extensions.a.job:A", description: null })).toBe("extensions.a.job:A");
    const label = handlerLabel({ handlerPath: "p:X", description: "x".repeat(200) });
    expect(label).toBe(`${"x".repeat(79)}… — p:X`);
  });
});

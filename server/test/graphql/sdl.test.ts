import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printedSdl, SDL_PATH } from "../../src/graphql/sdl.ts";

describe("server/schema.graphql", () => {
  it("matches the schema built from the code (run `npm run schema:print` after changing it)", () => {
    expect(readFileSync(SDL_PATH, "utf8")).toBe(printedSdl());
  });
});

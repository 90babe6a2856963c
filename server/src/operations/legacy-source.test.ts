import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLegacyLocation, withoutPassword } from "./legacy-source.ts";

describe("--from of import-legacy", () => {
  it("takes the original's SQLAlchemy URLs as they are", () => {
    for (const driver of ["postgresql+psycopg", "postgresql+psycopg2", "postgresql", "postgres"]) {
      expect(parseLegacyLocation(`${driver}://connecthub:pw@old-host:5432/connecthub`)).toEqual({
        kind: "postgresql",
        url: "postgresql://connecthub:pw@old-host:5432/connecthub",
      });
    }
  });

  it("reads sqlite:/// as relative and sqlite://// as absolute, like SQLAlchemy", () => {
    expect(parseLegacyLocation("sqlite:///data/connecthub.db", "/srv/old")).toEqual({ kind: "sqlite", file: "/srv/old/data/connecthub.db" });
    expect(parseLegacyLocation("sqlite:////data/connecthub.db", "/srv/old")).toEqual({ kind: "sqlite", file: "/data/connecthub.db" });
  });

  it("takes a plain path to an existing file, and names a missing one", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "legacy-from-"));
    try {
      writeFileSync(path.join(dir, "connecthub.db"), "");
      expect(parseLegacyLocation("connecthub.db", dir)).toEqual({ kind: "sqlite", file: path.join(dir, "connecthub.db") });
      expect(() => parseLegacyLocation("missing.db", dir)).toThrow(`there is no file ${path.join(dir, "missing.db")}`);
      expect(() => parseLegacyLocation("mysql://x@y/z", dir)).toThrow(/use the original's DB_URL/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never prints the password", () => {
    expect(withoutPassword("postgresql://connecthub:secret@h:5432/db")).toBe("postgresql://connecthub:***@h:5432/db");
  });
});
